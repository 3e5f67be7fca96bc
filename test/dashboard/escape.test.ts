import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { staticDir } from '../../dashboard/index.js';

/** A minimal document: enough for dom.js, and it records how content got in. */
class FakeNode {
  children: (FakeNode | FakeText)[] = [];
  attrs = new Map<string, string>();
  style: Record<string, string> = {};
  constructor(readonly tag: string) {}
  setAttribute(k: string, v: string): void { this.attrs.set(k, v); }
  append(...c: (FakeNode | FakeText)[]): void { this.children.push(...c); }
  set innerHTML(_v: string) { throw new Error('innerHTML used'); }
  get textContent(): string { return this.children.map((c) => c.textContent).join(''); }
}
class FakeText {
  constructor(readonly textContent: string) {}
}

describe('front-end escaping', () => {
  it('dom.h puts strings in as text nodes, attributes via setAttribute', async () => {
    const g = globalThis as { document?: unknown };
    g.document = { createElement: (t: string) => new FakeNode(t), createTextNode: (s: string) => new FakeText(s) };
    try {
      const path = join(staticDir, 'dom.js');
      const dom = (await import(path)) as { h: (tag: string, attrs: Record<string, unknown>, ...c: unknown[]) => FakeNode };
      const evil = '<img src=x onerror="alert(1)">';
      const el = dom.h('td', { title: evil }, evil, 3);
      assert.equal(el.textContent, `${evil}3`);
      assert.ok(el.children.every((c) => c instanceof FakeText));
      assert.equal(el.attrs.get('title'), evil);
    } finally {
      delete g.document;
    }
  });

  const files = readdirSync(staticDir).filter((f) => f.endsWith('.js') || f.endsWith('.html'));
  for (const f of files) {
    it(`${f} never writes HTML from data (no innerHTML/outerHTML/insertAdjacentHTML/document.write/inline handlers)`, () => {
      const src = readFileSync(join(staticDir, f), 'utf8');
      assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\son[a-z]+=/);
      assert.doesNotMatch(src, /https?:\/\/(?!www\.w3\.org)/, 'everything is served locally (no CDN)');
    });
  }
});
