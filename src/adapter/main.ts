// The stand-alone debug adapter entry (dist/adapter.js): serves DAP on stdin/stdout, or on a
// loopback port with --server=N (one session per connection). Node APIs allowed; never imports 'vscode'.
import { serveDap } from './serve';

const portArg = process.argv.slice(2).find((a) => /^--server=\d+$/.test(a));
serveDap(portArg ? Number(portArg.slice('--server='.length)) : undefined);
