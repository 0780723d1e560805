/**
 * How drafts are stored (store/draft-codec.ts, issue 15): without the form's question hashes the
 * answers already carry, and without each answer's `by` when it is the person who last saved the
 * draft. Every draft is read back exactly as it was saved, through each way the repositories read
 * drafts, from the embedded store's file; a draft stored the old way is read as it is.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_FILE } from '../../lib/paths.js';
import { buildForm, loadRegimeFile, type FormDefinition } from '../../regime/regime.js';
import { formQuestions, setAnswers, updateDraft } from '../../services/drafts.js';
import { decodeDraft, encodeDraft } from '../../store/draft-codec.js';
import { COLLECTIONS, type AnswerRecord, type Draft } from '../../store/records.js';
import { Repositories } from '../../store/repositories.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import { rng } from '../helpers/seed-submissions.js';

const loaded = loadRegimeFile(DEFAULT_REGIME_FILE);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const form = buildForm(loaded.regime, 'BA-BE', 'H1') as FormDefinition;
const keys = Object.keys(formQuestions(form));
/** A Teams person's key as the channel makes it (the user id is long). */
const AN = 'teams:29:1ebbbdeb2-fb1c-40bd-9a8e-6241656db578';
const BINH = 'zalo:binh';

let dir: string;
let repos: Repositories;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dondoc-draft-codec-'));
  repos = new Repositories(new SqliteStore(join(dir, 'dondoc.sqlite')));
  await repos.init();
});
afterEach(async () => {
  await repos.db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The draft's row as the file holds it. */
function storedRow(id: string): Record<string, any> {
  const db = new Database(join(dir, 'dondoc.sqlite'), { readonly: true });
  try {
    return JSON.parse((db.prepare(`SELECT doc FROM ${COLLECTIONS.drafts} WHERE id = ?`).get(id) as { doc: string }).doc);
  } finally {
    db.close();
  }
}

/** Every way the repositories read a draft gives `expected`. */
async function readsBack(expected: Draft) {
  expect(await repos.getDraft(expected.unitCode, expected.periodId)).toEqual(expected);
  expect((await repos.draftAndState(expected.unitCode, expected.periodId)).draft).toEqual(expected);
  expect(await repos.drafts.find({ periodId: expected.periodId })).toEqual([expected]);
}

const answer = (key: string, by: string, over: Partial<AnswerRecord> = {}): AnswerRecord => ({ value: `Nội dung ${key}`, at: 1_800_000_000_000, by, hash: formQuestions(form)[key], ...over });

describe('drafts as stored', () => {
  it('a draft saved as the dialog saves it is read back whole; the row leaves out the hashes and the `by` its answers already give', async () => {
    const at = 1_800_000_000_000;
    const values = Object.fromEntries(keys.slice(0, 12).map((k) => [k, `Trả lời ${k}`]));
    let draft = await updateDraft(repos, { unitCode: 'BA-BE', periodId: '2027-H1', form, now: at, by: AN }, setAnswers(form, values, at, AN));
    // A second focal point answers one more question, then the first one goes on.
    draft = await updateDraft(repos, { unitCode: 'BA-BE', periodId: '2027-H1', form, now: at + 1, by: BINH }, setAnswers(form, { [keys[12]]: 'Của Bình' }, at + 1, BINH));
    draft = await updateDraft(repos, { unitCode: 'BA-BE', periodId: '2027-H1', form, now: at + 2, by: AN }, setAnswers(form, { [keys[13]]: 'Của An' }, at + 2, AN));
    expect(draft.formQuestions).toEqual(formQuestions(form));
    expect(draft.answers[keys[12]].by).toBe(BINH);
    await readsBack(draft);

    const row = storedRow(draft._id);
    expect(row.formQuestions).toBeUndefined();
    // Only the questions not answered yet keep their hash in the row.
    expect(Object.keys(row.formQuestionsRest).sort()).toEqual(keys.slice(14).sort());
    expect(row.answersOutsideForm).toBeUndefined();
    // `by` is kept only where it is not the last saver's.
    expect(Object.entries(row.answers).filter(([, a]) => (a as AnswerRecord).by !== undefined)).toEqual([[keys[12], expect.objectContaining({ by: BINH })]]);

    // Every question answered: no hash is left to keep apart, and the row is about half the draft's JSON.
    const rest = Object.fromEntries(keys.slice(14).map((k) => [k, `Trả lời ${k}`]));
    draft = await updateDraft(repos, { unitCode: 'BA-BE', periodId: '2027-H1', form, now: at + 3, by: AN }, setAnswers(form, rest, at + 3, AN));
    await readsBack(draft);
    const full = storedRow(draft._id);
    expect(full.formQuestionsRest).toEqual({});
    expect(JSON.stringify(full).length).toBeLessThan(JSON.stringify(draft).length * 0.6);
  });

  it('an answer under another hash, an answer the form no longer asks and a draft with no question hashes are read back as saved', async () => {
    const fq = formQuestions(form);
    const draft: Draft = {
      _id: 'BA-BE|2027-H1',
      _v: 0,
      unitCode: 'BA-BE',
      periodId: '2027-H1',
      formVersion: form.version,
      formQuestions: fq,
      answers: {
        [keys[0]]: answer(keys[0], AN),
        [keys[1]]: answer(keys[1], BINH, { hash: 'an-older-hash', value: null }),
        'd9/gone': answer('d9/gone', AN, { hash: 'gone', value: 5, copiedFrom: '2026-H1' }),
      },
      startedAt: 1,
      updatedAt: 2,
      updatedBy: AN,
    };
    const saved = (await repos.saveDraft(draft)) as Draft;
    expect(saved).toEqual({ ...draft, _v: 1 });
    await readsBack(saved);
    const row = storedRow(draft._id);
    expect(row.answersOutsideForm).toEqual(['d9/gone']);
    expect(row.formQuestionsRest[keys[1]]).toBe(fq[keys[1]]);
    expect(row.formQuestionsRest[keys[0]]).toBeUndefined();

    const { formQuestions: _fq, ...withoutHashes } = saved;
    void _fq;
    const again = (await repos.saveDraft(withoutHashes)) as Draft;
    expect(again).toEqual({ ...withoutHashes, _v: 2 });
    await readsBack(again);
    expect(storedRow(draft._id)).not.toHaveProperty('formQuestionsRest');
  });

  it('a draft stored before (every hash, every `by`) is read as it is, and stored the new way at its next save', async () => {
    const old: Draft = {
      _id: 'BA-BE|2027-H1',
      _v: 3,
      unitCode: 'BA-BE',
      periodId: '2027-H1',
      formVersion: form.version,
      formQuestions: { ...formQuestions(form) },
      answers: { [keys[0]]: answer(keys[0], AN), [keys[1]]: answer(keys[1], BINH) },
      startedAt: 1,
      updatedAt: 2,
      updatedBy: BINH,
    };
    // Written as the store wrote drafts before the encoding: the document as it is.
    const db = new Database(join(dir, 'dondoc.sqlite'));
    db.prepare(`INSERT INTO ${COLLECTIONS.drafts} (id, doc, v, f_periodId, f_unitCode) VALUES (?, ?, 3, ?, ?)`).run(old._id, JSON.stringify(old), old.periodId, old.unitCode);
    db.close();
    await readsBack(old);

    const next = (await repos.saveDraft({ ...old, updatedAt: 3, updatedBy: AN })) as Draft;
    expect(next._v).toBe(4);
    await readsBack(next);
    const row = storedRow(old._id);
    expect(row.formQuestions).toBeUndefined();
    expect(row.answers[keys[0]].by).toBeUndefined();
    expect(row.answers[keys[1]].by).toBe(BINH);
  });

  it('a draft is written whole: a partial update, which would bypass the encoding, is refused and changes nothing', async () => {
    const at = 1_800_000_000_000;
    const draft = await updateDraft(repos, { unitCode: 'BA-BE', periodId: '2027-H1', form, now: at, by: AN }, setAnswers(form, { [keys[0]]: 'Của An' }, at, AN));
    await expect(repos.drafts.updateOne({ _id: draft._id }, { updatedBy: BINH })).rejects.toThrow(/written whole/);
    await expect(repos.drafts.updateMany({ periodId: '2027-H1' }, { updatedBy: BINH })).rejects.toThrow(/written whole/);
    await readsBack(draft);
    // The contacts, stored as they are, are still updated in part.
    await repos.contacts.put({ _id: AN, userKey: AN, channel: 'teams', platformUserId: '29:1', reachable: true, updatedAt: at } as never);
    expect(await repos.contacts.updateOne({ _id: AN }, { reachable: false })).toMatchObject({ reachable: false });
  });

  it('decode(encode(draft)) is the draft, for drafts made at random', () => {
    const next = rng(15);
    const people = [AN, BINH, 'console:chi'];
    for (let i = 0; i < 300; i++) {
      const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
      const answers: Record<string, AnswerRecord> = {};
      for (const k of [...keys, 'd9/a', 'd9/b']) if (next() < 0.5) answers[k] = answer(k, pick(people), next() < 0.2 ? { hash: `other-${i}` } : {});
      const hashes = next() < 0.8 ? Object.fromEntries(keys.filter(() => next() < 0.9).map((k) => [k, next() < 0.1 ? `changed-${k}` : formQuestions(form)[k]])) : undefined;
      const draft: Draft = {
        _id: `U|${i}`,
        _v: i,
        unitCode: 'U',
        periodId: String(i),
        formVersion: 'v',
        ...(hashes ? { formQuestions: hashes } : {}),
        answers,
        startedAt: 1,
        updatedAt: 2,
        updatedBy: pick(people),
      };
      expect(decodeDraft(JSON.parse(JSON.stringify(encodeDraft(draft))))).toEqual(draft);
    }
  });
});
