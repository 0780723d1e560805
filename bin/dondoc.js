#!/usr/bin/env node
// The `dondoc` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare)
// and by `npm run build` (also run by `npm test`).
import('../dist/cli/main.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/main.js')) {
    process.stderr.write('dondoc: chưa biên dịch; hãy chạy "npm run build" trước.\n');
    process.exit(1);
  }
  throw e;
});
