import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addQuantities, compareQuantities, formatQuantity, isValidQuantity, parseQuantity, QuantityError, quantityToInt, quantityToMilli,
  quantityToNumber, quantityToString,
} from '../../../core/api/index.js';

// [input, canonical String(), milli value]; canonical forms follow Kubernetes' quantity_test.go.
const parseCases: [string, string, number][] = [
  ['0', '0', 0],
  ['0n', '0', 0],
  ['0u', '0', 0],
  ['0m', '0', 0],
  ['0Ki', '0', 0],
  ['0k', '0', 0],
  ['0Mi', '0', 0],
  ['1Ki', '1Ki', 1024000],
  ['8Ki', '8Ki', 8192000],
  ['7Mi', '7Mi', 7340032000],
  ['6Gi', '6Gi', 6442450944000],
  ['5Ti', '5Ti', 5497558138880000],
  ['1536Mi', '1536Mi', 1610612736000],
  ['1.5Gi', '1536Mi', 1610612736000],
  ['1.5Mi', '1536Ki', 1572864000],
  ['0.5Ki', '512', 512000],
  ['1023Ki', '1023Ki', 1047552000],
  ['1024Ki', '1Mi', 1048576000],
  ['5n', '5n', 1],
  ['4u', '4u', 1],
  ['3m', '3m', 3],
  ['9', '9', 9000],
  ['8k', '8k', 8000000],
  ['50k', '50k', 50000000],
  ['7M', '7M', 7000000000],
  ['6G', '6G', 6000000000000],
  ['1000', '1k', 1000000],
  ['1000000', '1M', 1000000000],
  ['1500m', '1500m', 1500],
  ['0.1', '100m', 100],
  ['.1', '100m', 100],
  ['.5', '500m', 500],
  ['0.5', '500m', 500],
  ['1.5', '1500m', 1500],
  ['0.1m', '100u', 1],
  ['100.035k', '100035', 100035000],
  ['1e3', '1e3', 1000000],
  ['1E3', '1e3', 1000000],
  ['1E-3', '1e-3', 1],
  ['1e-3', '1e-3', 1],
  ['12e2', '1200', 1200000],
  ['1E', '1E', 1e21],
  ['1.G', '1G', 1e12],
  ['+5', '5', 5000],
  ['-1', '-1', -1000],
  ['-0.1m', '-100u', -1],
  ['-1.5m', '-1500u', -2],
  ['-1.5Gi', '-1536Mi', -1610612736000],
  ['0.0000000001', '1n', 1],
  ['1.1e-9', '2e-9', 1],
  ['000123', '123', 123000],
];

describe('parseQuantity', () => {
  for (const [input, canonical, milli] of parseCases) {
    test(`${JSON.stringify(input)} → ${canonical} (${milli} milli)`, () => {
      const q = parseQuantity(input);
      assert.equal(quantityToString(q), canonical);
      assert.equal(quantityToMilli(q), milli);
      assert.equal(isValidQuantity(input), true);
    });
  }
});

const badCases: [string, string][] = [
  ['', 'empty string'],
  ['abc', 'letters only'],
  ['aoeu', 'letters only'],
  ['1.5.5', 'two decimal points'],
  ['1.1.M', 'two decimal points with suffix'],
  ['5Mb', 'unknown trailing letter'],
  [' 1', 'leading space'],
  ['1 ', 'trailing space'],
  ['1i', 'bare i suffix'],
  ['.5i', 'fraction with bare i'],
  ['-3.01i', 'negative with bare i'],
  ['-3.01e-', 'exponent without digits'],
  ['1e', 'e without digits'],
  ['1+1.0M', 'sign in the middle'],
  ['0.1mi', 'mi is not a suffix'],
  ['0.1am', 'a is not a suffix'],
  ['1K', 'uppercase K is not a suffix'],
  ['1Ki5', 'digits after binary suffix'],
  ['1e1001', 'exponent beyond the guard'],
];

describe('parseQuantity rejects bad input', () => {
  for (const [input, why] of badCases) {
    test(`${JSON.stringify(input)} (${why})`, () => {
      assert.throws(() => parseQuantity(input), (e: unknown) => e instanceof QuantityError && e.reason === 'BadRequest');
      assert.equal(isValidQuantity(input), false);
    });
  }
});

describe('exact arithmetic', () => {
  const cases: { description: string; run: () => unknown; want: unknown }[] = [
    { description: '0.1 cpu is exactly 100 milli', run: () => quantityToMilli('0.1'), want: 100 },
    { description: 'milli rounds up like MilliValue', run: () => quantityToMilli('1n'), want: 1 },
    { description: 'number input is accepted (JSON numbers)', run: () => quantityToMilli(0.25), want: 250 },
    { description: 'quantityToNumber of 500m', run: () => quantityToNumber('500m'), want: 0.5 },
    { description: 'quantityToNumber of 1Ki', run: () => quantityToNumber('1Ki'), want: 1024 },
    { description: 'quantityToNumber of 0.1', run: () => quantityToNumber('0.1'), want: 0.1 },
    { description: 'quantityToInt rounds up', run: () => quantityToInt('1500m'), want: 2 },
    { description: 'compare 1Gi > 1G', run: () => compareQuantities('1Gi', '1G'), want: 1 },
    { description: 'compare 1000m == 1', run: () => compareQuantities('1000m', '1'), want: 0 },
    { description: 'add 100m + 0.2 = 300m', run: () => quantityToString(addQuantities('100m', '0.2')), want: '300m' },
    { description: 'add keeps the first format', run: () => quantityToString(addQuantities('1Gi', '512Mi')), want: '1536Mi' },
  ];
  for (const c of cases) test(c.description, () => assert.deepEqual(c.run(), c.want));
});

describe('formatQuantity', () => {
  const cases: { description: string; got: () => string; want: string }[] = [
    { description: '0.5 cpu', got: () => formatQuantity(0.5, 'DecimalSI'), want: '500m' },
    { description: '1536Mi in bytes', got: () => formatQuantity(1610612736, 'BinarySI'), want: '1536Mi' },
    { description: '500 milli', got: () => formatQuantity(500, 'DecimalSI', { unit: 'milli' }), want: '500m' },
    { description: '2000 milli', got: () => formatQuantity(2000, 'DecimalSI', { unit: 'milli' }), want: '2' },
    { description: '1024 bytes binary', got: () => formatQuantity(1024, 'BinarySI'), want: '1Ki' },
    { description: '1500 binary has no binary suffix', got: () => formatQuantity(1500, 'BinarySI'), want: '1500' },
    { description: 'small binary values print as decimal', got: () => formatQuantity(0.1, 'BinarySI'), want: '100m' },
    { description: '1000 decimal', got: () => formatQuantity(1000, 'DecimalSI'), want: '1k' },
    { description: 'zero', got: () => formatQuantity(0, 'BinarySI'), want: '0' },
    { description: 'string input re-canonicalised', got: () => formatQuantity('1.5Gi', 'BinarySI'), want: '1536Mi' },
    { description: 'decimal exponent', got: () => formatQuantity(1000, 'DecimalExponent'), want: '1e3' },
    { description: 'computed values round up to a chosen precision', got: () => formatQuantity(0.1234, 'DecimalSI', { roundUpTo: 'milli' }), want: '124m' },
    { description: 'round up to whole units', got: () => formatQuantity(1.2, 'DecimalSI', { roundUpTo: 'unit' }), want: '2' },
    { description: 'exact values are unchanged by rounding', got: () => formatQuantity(0.25, 'DecimalSI', { roundUpTo: 'milli' }), want: '250m' },
    { description: 'bigint milli', got: () => formatQuantity(1500n, 'DecimalSI', { unit: 'milli' }), want: '1500m' },
  ];
  for (const c of cases) test(c.description, () => assert.equal(c.got(), c.want));
});
