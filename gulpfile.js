// The asset step of the build: tsc compiles the TypeScript, this copies what tsc does not
// (node and credential icons, and the codex files n8n reads beside each node) into dist/.
const { src, dest, parallel } = require('gulp');

function copyNodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(
		dest('dist/nodes'),
	);
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/credentials'));
}

exports.build = parallel(copyNodeAssets, copyCredentialAssets);
exports.default = exports.build;
