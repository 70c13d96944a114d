// Production bundles: the extension (Node target, 'vscode' external), the stand-alone debug
// adapter and the x86dbg command line. Type checking is done by `npm run typecheck`, so ts-loader
// only transpiles here.
const path = require('path');

/** @param {string} name @param {string} entry @returns {import('webpack').Configuration} */
function bundle(name, entry) {
  return {
    name,
    target: 'node',
    mode: 'production',
    entry: { [name]: entry },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      libraryTarget: 'commonjs2',
      devtoolModuleFilenameTemplate: '../[resource-path]',
    },
    devtool: 'source-map',
    externals: { vscode: 'commonjs vscode' },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [{ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true } }] }],
    },
    optimization: { minimize: false },
    performance: { hints: false },
  };
}

module.exports = [
  bundle('extension', './src/extension.ts'),
  bundle('adapter', './src/adapter/main.ts'),
  bundle('cli', './src/cli/main.ts'),
];
