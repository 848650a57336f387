import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// build/handler.js is imported by src/server.ts, which adds socket.io on the same HTTP server
		adapter: adapter({ out: 'build' })
	}
};

export default config;
