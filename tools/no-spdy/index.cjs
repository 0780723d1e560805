// restify 11 (lib/server.js) requires 'spdy' when it loads and calls it only when a server is
// created with the `spdy` option, which dondoc never sets. The real spdy 4 loads http-deceiver,
// which reads process.binding('http_parser'): deprecated on Node 20 (a DEP0111 warning at every
// start) and gone from Node 24, where restify 11 then cannot load at all. restify 12 drops spdy
// but needs Node 22. package.json's `overrides` puts this package in spdy's place.
exports.createServer = function createServer() {
  throw new Error("dondoc: restify's `spdy` option is not supported (tools/no-spdy)");
};
