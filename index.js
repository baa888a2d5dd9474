// The package's main: exports every built node and credential class listed in package.json's
// `n8n` section (n8n itself loads those files by path; this makes the package require()-able,
// for tools and tests, from one list that cannot drift from what n8n loads).
const path = require('node:path');
const { n8n } = require('./package.json');

for (const file of [...n8n.nodes, ...n8n.credentials]) {
	Object.assign(module.exports, require(path.join(__dirname, file)));
}
