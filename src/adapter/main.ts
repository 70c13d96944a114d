// The stand-alone debug adapter entry: serves DAP on stdin/stdout. Placeholder until the adapter lands.
process.stderr.write('x86dbg adapter: not available yet\n');
process.exitCode = 2;
