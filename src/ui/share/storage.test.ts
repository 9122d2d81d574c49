import { describe, expect, it } from 'vitest';
import { getPreset } from '../presets';
import type { PlaygroundDocument } from '../state/document';
import { documentToJson } from './document-json';
import { MemoryStorage } from './fakes';
import {
  DOCUMENT_KEY,
  MIGRATIONS,
  readStoredDocument,
  STORAGE_VERSION,
  setAsideUnreadable,
  storedText,
  UNREADABLE_KEY,
  writeStoredDocument,
} from './storage';

const selftest = () => getPreset('selftest-deny')?.build() as PlaygroundDocument;
const same = (a: PlaygroundDocument, b: PlaygroundDocument) => expect(documentToJson(a)).toEqual(documentToJson(b));

function unreadable(text: string) {
  const s = new MemoryStorage();
  s.setItem(DOCUMENT_KEY, text);
  const r = readStoredDocument(s);
  expect(r.kind).toBe('unreadable');
  return r.kind === 'unreadable' ? r.reason : '';
}

describe('the document kept in local storage', () => {
  it('round-trips a document with its policy, settings, saved accesses and expected verdicts', () => {
    const s = new MemoryStorage();
    const doc = { ...selftest(), exits: 7n, ignoreMsrs: true };
    expect(writeStoredDocument(s, doc)).toBe(true);
    const envelope = JSON.parse(s.getItem(DOCUMENT_KEY) ?? '');
    expect(envelope).toMatchObject({ version: STORAGE_VERSION, document: { format: 'msr-scenario/1' } });
    expect(envelope.document.expectations).toEqual(doc.saved.map((a) => a.expect));
    const r = readStoredDocument(s);
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      same(r.doc, doc);
      expect(r.migratedFrom).toBeNull();
    }
  });

  it('says "none" when nothing is kept or there is no storage', () => {
    expect(readStoredDocument(new MemoryStorage())).toEqual({ kind: 'none' });
    expect(readStoredDocument(null)).toEqual({ kind: 'none' });
  });

  it('never throws on corrupt storage: each problem is a reason for a person', () => {
    expect(unreadable('{not json')).toMatch(/not valid JSON/);
    expect(unreadable('[1,2]')).toMatch(/not an object/);
    expect(unreadable('null')).toMatch(/not an object/);
    expect(unreadable('{"document":{}}')).toMatch(/version \(none\) is not a version number/);
    expect(unreadable('{"version":"1","document":{}}')).toMatch(/is not a version number/);
    expect(unreadable(JSON.stringify({ version: 99, document: {} }))).toMatch(/newer version of the playground/);
    const bad = JSON.parse(storedText(selftest()));
    bad.document.filter.ranges[0].bitmap = 'zz';
    expect(unreadable(JSON.stringify(bad))).toBe(
      'filter.ranges[0].bitmap: is not a hex string of whole bytes (two hex digits per byte)',
    );
    bad.document.filter.ranges[0].bitmap = '';
    bad.document.expectations = ['maybe'];
    expect(unreadable(JSON.stringify(bad))).toMatch(/^expectations\[0\]: expected/);
  });

  it('reports storage that refuses to be read, and a write that storage refuses, without throwing', () => {
    const s = new MemoryStorage();
    s.failGet = true;
    const r = readStoredDocument(s);
    expect(r).toEqual({ kind: 'unreadable', reason: expect.stringMatching(/refused to be read/) });
    s.failGet = false;
    s.failSet = true;
    expect(writeStoredDocument(s, selftest())).toBe(false);
    expect(writeStoredDocument(null, selftest())).toBe(false);
  });

  it('migrates older envelopes through the migration table, one version at a time', () => {
    // A made-up history: v0 kept the scenario under `scenario` and v1 added a name; today is v2.
    const doc = selftest();
    const v2document = documentToJson(doc);
    const { name, ...v1document } = v2document;
    const migrations = {
      0: (d: unknown) => (d as { scenario: unknown }).scenario,
      1: (d: unknown) => ({ ...(d as object), name: 'migrated' }),
    };
    const s = new MemoryStorage();
    s.setItem(DOCUMENT_KEY, JSON.stringify({ version: 0, document: { scenario: v1document } }));
    const r = readStoredDocument(s, { migrations, version: 2 });
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.migratedFrom).toBe(0);
      same(r.doc, { ...doc, name: 'migrated' });
    }
    // A version with no way forward, or a migration that fails, is unreadable, not a crash.
    expect(readStoredDocument(s, { migrations: { 1: migrations[1] }, version: 2 })).toEqual({
      kind: 'unreadable',
      reason: 'storage v0 cannot be upgraded (no migration from v0)',
    });
    const throwing = {
      0: () => {
        throw new Error('boom');
      },
    };
    expect(readStoredDocument(s, { migrations: throwing, version: 1 })).toEqual({ kind: 'unreadable', reason: 'boom' });
    // The real table has nothing to do yet: the current version reads as is.
    expect(Object.keys(MIGRATIONS)).toEqual([]);
    expect(name).toBe(doc.name);
  });

  it('sets unreadable work aside so that the next write loses nothing', () => {
    const s = new MemoryStorage();
    s.setItem(DOCUMENT_KEY, '{broken');
    expect(setAsideUnreadable(s)).toBe(true);
    expect(s.getItem(UNREADABLE_KEY)).toBe('{broken');
    expect(s.getItem(DOCUMENT_KEY)).toBeNull();
    expect(setAsideUnreadable(s)).toBe(false);
    expect(setAsideUnreadable(null)).toBe(false);
  });
});
