// jest's dependency extractor: jest's own (the file's imports and requires), plus, for a built
// dist/ file, the TypeScript source(s) its source map names. The tests load dist/, which git
// ignores, so without this `jest --watch` (which starts from the files git sees changed) would
// never connect an edit of nodes/**/*.ts to the tests that run it. With `tsc --watch` running,
// editing a source re-runs the tests that load what it compiles to.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync } = require('node:fs');
const { sep } = require('node:path');

const DIST = `${sep}dist${sep}`;

module.exports = {
	extract(code, filePath, defaultExtract) {
		const deps = defaultExtract(code, filePath);
		if (!filePath.includes(DIST) || !filePath.endsWith('.js') || !existsSync(`${filePath}.map`)) return deps;
		try {
			for (const source of JSON.parse(readFileSync(`${filePath}.map`, 'utf8')).sources ?? []) {
				deps.add(source.startsWith('.') ? source : `./${source}`);
			}
		} catch {
			// a map we cannot read: the file keeps jest's own dependencies
		}
		return deps;
	},
	getCacheKey() {
		return createHash('sha1').update(readFileSync(__filename)).digest('hex');
	},
};
