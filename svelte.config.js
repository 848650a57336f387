import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// build/handler.js is imported by src/server.ts, which adds socket.io on the same HTTP server
		adapter: adapter({ out: 'build' }),
		// stylesheets (each under 8 KB, 2 KB compressed) come inside the page: on a phone on a slow
		// line a separate stylesheet holds the first paint back by a round trip (bench/phone.ts)
		inlineStyleThreshold: 8192,
		// Content-Security-Policy: only our own scripts (SvelteKit adds hashes/nonces for its inline
		// start-up script), no framing, no plugins. Inline style attributes stay allowed: the bars,
		// heat colours and matrix swatches are set with style="…".
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// SvelteKit's origin check on form-typed writes is on by default; no other origin is trusted
		// (the `checkOrigin` switch is deprecated: naming it printed a warning on every build and test run)
		csrf: { trustedOrigins: [] }
	}
};

export default config;
