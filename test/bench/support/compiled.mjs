// Benchmarks run the code users run: `node --import tsx --import ./test/bench/support/compiled.mjs …`
// keeps the benchmark harness in TypeScript (through tsx) while every module of skiff itself (core,
// providers, ingress, autoscaler, dashboard, examples/apps) loads from the compiled dist/. Children that
// run harness TypeScript get the same flags (tsChild in compiled.ts); `skiff up` children run bin/skiff.js.
// `npm run bench:*` builds dist/ first.
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./compiled-hooks.mjs', import.meta.url);
