// The package's main. n8n does not load it: n8n loads the node and credential files listed in
// package.json's `n8n` section, by path. This file makes `require('n8n-nodes-keap')` return
// every built node and credential class (for tools and tests). It names each file with a plain
// relative require, the only form n8n's community-package scanner accepts here (no `path`, no
// `__dirname`); test/unit/package-main.test.mjs fails when this list and the `n8n` section differ.
module.exports = {
	...require('./dist/nodes/Keap/KeapCrm.node.js'),
	...require('./dist/nodes/KeapCrmTrigger/KeapCrmTrigger.node.js'),
	...require('./dist/nodes/KeapCrmPollingTrigger/KeapCrmPollingTrigger.node.js'),
	...require('./dist/credentials/KeapCrmOAuth2Api.credentials.js'),
	...require('./dist/credentials/KeapCrmTokenPairApi.credentials.js'),
	...require('./dist/credentials/KeapCrmApiKeyApi.credentials.js'),
};
