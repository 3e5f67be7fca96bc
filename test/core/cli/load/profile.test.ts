import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, parseRamp, percentile, ProfileError, profileOf } from '../../../../core/cli/load/profile.js';

describe('parseDuration', () => {
  const cases = [
    { in: '500ms', ms: 500, desc: 'milliseconds' },
    { in: '10s', ms: 10_000, desc: 'seconds' },
    { in: '2m', ms: 120_000, desc: 'minutes' },
    { in: '1h', ms: 3_600_000, desc: 'hours' },
    { in: '7', ms: 7000, desc: 'a bare number is seconds' },
    { in: '1.5s', ms: 1500, desc: 'fractions' },
  ];
  for (const c of cases) it(c.desc, () => assert.equal(parseDuration(c.in), c.ms));
  for (const bad of ['', '0s', '10x', '-1s', 's']) {
    it(`rejects "${bad}"`, () => assert.throws(() => parseDuration(bad), ProfileError));
  }
});

describe('parseRamp', () => {
  const cases = [
    { in: '10s:50,30s:400,20s:0', out: [{ durationMs: 10_000, rate: 50 }, { durationMs: 30_000, rate: 400 }, { durationMs: 20_000, rate: 0 }], desc: 'the README ramp' },
    { in: ' 5s:100 , 1m:600 ', out: [{ durationMs: 5000, rate: 100 }, { durationMs: 60_000, rate: 600 }], desc: 'spaces around stages' },
    { in: '5s:1,', out: [{ durationMs: 5000, rate: 1 }], desc: 'a trailing comma' },
  ];
  for (const c of cases) it(c.desc, () => assert.deepEqual(parseRamp(c.in), c.out));
  const bad = [
    { in: '', msg: /at least one stage/, desc: 'empty' },
    { in: '10s', msg: /DURATION:RATE/, desc: 'no rate' },
    { in: '10s:5:1', msg: /DURATION:RATE/, desc: 'too many parts' },
    { in: '10s:-5', msg: /invalid rate/, desc: 'a negative rate' },
    { in: '10s:1.5', msg: /invalid rate/, desc: 'a fractional rate' },
    { in: 'x:5', msg: /invalid duration/, desc: 'a bad duration' },
  ];
  for (const c of bad) it(`rejects ${c.desc}`, () => assert.throws(() => parseRamp(c.in), (e: unknown) => e instanceof ProfileError && c.msg.test(e.message)));
});

describe('profileOf', () => {
  const cases = [
    { in: {}, out: [{ durationMs: 10_000, rate: undefined }], desc: 'defaults: 10 s as fast as possible' },
    { in: { rate: '200', duration: '3s' }, out: [{ durationMs: 3000, rate: 200 }], desc: 'a steady rate' },
    { in: { duration: '1m' }, out: [{ durationMs: 60_000, rate: undefined }], desc: 'a duration alone' },
    { in: { ramp: '1s:5,2s:0' }, out: [{ durationMs: 1000, rate: 5 }, { durationMs: 2000, rate: 0 }], desc: 'a ramp' },
  ];
  for (const c of cases) it(c.desc, () => assert.deepEqual(profileOf(c.in), c.out));
  const bad = [
    { in: { ramp: '1s:5', rate: '3' }, desc: 'ramp with rate' },
    { in: { ramp: '1s:5', duration: '3s' }, desc: 'ramp with duration' },
    { in: { rate: '0' }, desc: 'a zero rate' },
    { in: { rate: 'fast' }, desc: 'a non-number rate' },
  ];
  for (const c of bad) it(`rejects ${c.desc}`, () => assert.throws(() => profileOf(c.in), ProfileError));
});

describe('percentile', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const cases = [
    { xs: [], p: 50, out: 0, desc: 'no samples' },
    { xs: [42], p: 99, out: 42, desc: 'one sample' },
    { xs: sorted, p: 50, out: 5, desc: 'p50 by nearest rank' },
    { xs: sorted, p: 90, out: 9, desc: 'p90' },
    { xs: sorted, p: 99, out: 10, desc: 'p99 rounds up to the last' },
    { xs: sorted, p: 100, out: 10, desc: 'p100 is the max' },
    { xs: sorted, p: 0, out: 1, desc: 'p0 is the min' },
  ];
  for (const c of cases) it(c.desc, () => assert.equal(percentile(c.xs, c.p), c.out));
});
