/**
 * The Zalo channel's pure parts: signature, event parsing, text splitting and button rendering,
 * error classification, phone normalisation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../channels/zalo/contacts.js';
import { classifyApiError } from '../../channels/zalo/errors.js';
import { inboxId, parseZaloEvent, personOf, EnvelopeSchema } from '../../channels/zalo/events.js';
import { MAX_TEXT_CHARS, renderOutMessage, splitText } from '../../channels/zalo/render.js';
import { verifyZaloSignature, zaloMac } from '../../channels/zalo/signature.js';
import { zaloFixture } from '../helpers/fake-zalo.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const fixtureRaw = (name: string) => readFileSync(resolve(FIXTURES_DIR, 'zalo', `${name}.json`), 'utf8').replace(/\n$/, '');

describe('webhook signature', () => {
  it('is sha256(app_id + raw body + timestamp + OA secret key), checked against a vector computed with sha256sum', () => {
    const raw = fixtureRaw('user-send-text');
    // printf '%s' "360846524940903967$(cat user-send-text.json)154390853474oa-secret-123" | sha256sum
    const expected = '650d6e8827b72bba067c01d88f31fbcc4344afd52c7bad7f94688d5f0cfe5f1e';
    expect(zaloMac('360846524940903967', raw, '154390853474', 'oa-secret-123')).toBe(expected);
    expect(zaloMac('360846524940903967', Buffer.from(raw), '154390853474', 'oa-secret-123')).toBe(expected);
    expect(verifyZaloSignature(`mac=${expected}`, '360846524940903967', raw, '154390853474', 'oa-secret-123')).toBe(true);
    expect(verifyZaloSignature(expected.toUpperCase(), '360846524940903967', raw, '154390853474', 'oa-secret-123')).toBe(true);
    expect(verifyZaloSignature(`mac=${expected}`, '360846524940903967', `${raw} `, '154390853474', 'oa-secret-123')).toBe(false);
    expect(verifyZaloSignature(`mac=${expected}`, '360846524940903967', raw, '154390853474', 'other')).toBe(false);
    expect(verifyZaloSignature('mac=abc', '360846524940903967', raw, '154390853474', 'oa-secret-123')).toBe(false);
    expect(verifyZaloSignature(undefined, '360846524940903967', raw, '154390853474', 'oa-secret-123')).toBe(false);
  });
});

describe('event parsing', () => {
  it('parses every fixture as its event type, ids kept as strings', () => {
    const text = parseZaloEvent(zaloFixture('user-send-text'));
    expect(text).toMatchObject({ kind: 'known', event: { event_name: 'user_send_text', sender: { id: '246845883529197922' }, message: { text: 'message' } } });
    expect(parseZaloEvent(zaloFixture('user-send-image'))).toMatchObject({ kind: 'known', event: { event_name: 'user_send_image' } });
    expect(parseZaloEvent(zaloFixture('user-send-file'))).toMatchObject({ kind: 'known', event: { event_name: 'user_send_file' } });
    expect(parseZaloEvent(zaloFixture('follow'))).toMatchObject({ kind: 'known', event: { event_name: 'follow', follower: { id: '8381381219617247797' } } });
    expect(personOf(zaloFixture('follow'))).toBe('8381381219617247797');
    expect(personOf(zaloFixture('user-send-file'))).toBe('4339761418830368433');
  });

  it('tolerates unknown events and reports malformed known ones', () => {
    expect(parseZaloEvent({ event_name: 'user_reacted_message', app_id: '1' })).toEqual({ kind: 'unknown', eventName: 'user_reacted_message' });
    expect(parseZaloEvent({})).toEqual({ kind: 'unknown', eventName: '' });
    const bad = parseZaloEvent({ ...zaloFixture('user-send-text'), sender: { id: 246845883529197922 } });
    expect(bad.kind).toBe('invalid');
  });

  it('dedupes by event name and msg_id, or by the raw body when there is no msg_id', () => {
    const t = zaloFixture('user-send-text');
    const env = EnvelopeSchema.parse(t);
    expect(inboxId(env, 'x')).toBe('zalo:user_send_text:96d3cdf3af150460909');
    const f = EnvelopeSchema.parse(zaloFixture('follow'));
    expect(inboxId(f, 'a')).toBe(inboxId(f, 'a'));
    expect(inboxId(f, 'a')).not.toBe(inboxId(f, 'b'));
    // image and file fixtures share a msg_id but are different events
    expect(inboxId(EnvelopeSchema.parse(zaloFixture('user-send-image')), '')).not.toBe(inboxId(EnvelopeSchema.parse(zaloFixture('user-send-file')), ''));
  });
});

describe('text splitting', () => {
  const len = (s: string) => Array.from(s).length;
  const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

  it('never exceeds the limit and loses no text', () => {
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'ă', 'ệ', 'Đ', '😀', ' ', '\n', '.', ',', '1'), maxLength: 300 }),
      fc.constantFrom('\n\n', '. ', 'Báo cáo kết quả thực hiện. ', 'x'.repeat(2500)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 20, max: 2000 }), (pieces, max) => {
        const text = pieces.join('');
        const parts = splitText(text, max);
        for (const p of parts) expect(len(p)).toBeLessThanOrEqual(max);
        expect(parts.map(squash).join('')).toBe(squash(text));
        for (const p of parts) expect(p.trim()).toBe(p);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts at a paragraph, else a line, else a sentence, else a word', () => {
    const para = `${'Một hai ba. '.repeat(100)}\n\n${'Bốn năm sáu. '.repeat(100)}`;
    const p = splitText(para, 1500);
    expect(p[0].endsWith('Một hai ba.')).toBe(true);
    expect(p[1].startsWith('Bốn')).toBe(true);
    const sentences = 'Câu thứ nhất dài vừa phải. '.repeat(100);
    for (const s of splitText(sentences, 500).slice(0, -1)) expect(s.endsWith('.')).toBe(true);
    const words = 'chữ '.repeat(1000);
    for (const s of splitText(words, 999)) expect(s.split(' ').every((w) => w === 'chữ')).toBe(true);
    expect(splitText('ngắn')).toEqual(['ngắn']);
    expect(splitText('   ')).toEqual([]);
    // decomposed Vietnamese counts as composed letters
    const decomposed = 'ệ'.normalize('NFD').repeat(MAX_TEXT_CHARS);
    expect(splitText(decomposed)).toHaveLength(1);
  });
});

describe('rendering an OutMessage', () => {
  it('puts up to 5 choices as oa.query.hide buttons on the last part; more choices stay text only', () => {
    const choices = [
      { value: '1', label: 'Đã hoàn thành' },
      { value: '2', label: 'Đang thực hiện' },
      { value: '3', label: 'Chưa thực hiện' },
    ];
    const long = `${'Nội dung rất dài. '.repeat(150)}\n\nChọn một:`;
    const parts = renderOutMessage({ text: long, choices });
    expect(parts.length).toBe(2);
    expect(parts[0].attachment).toBeUndefined();
    expect(parts[1].attachment).toEqual({
      type: 'template',
      payload: { buttons: choices.map((c) => ({ title: c.label, type: 'oa.query.hide', payload: c.value })) },
    });
    const six = Array.from({ length: 6 }, (_, i) => ({ value: String(i + 1), label: `Lựa chọn ${i + 1}` }));
    expect(renderOutMessage({ text: '1. a\n2. b', choices: six })).toEqual([{ text: '1. a\n2. b' }]);
    const longTitle = renderOutMessage({ text: 't', choices: [{ value: 'v', label: 'x'.repeat(300) }] });
    expect(Array.from(longTitle[0].attachment!.payload.buttons[0].title).length).toBe(100);
  });
});

describe('API error classification', () => {
  it('maps codes to retry, token, window or permanent', () => {
    expect(classifyApiError('oa', -32, '').kind).toBe('transient');
    expect(classifyApiError('oa', -216, '').kind).toBe('token');
    expect(classifyApiError('oa', -220, '').kind).toBe('token');
    for (const c of [-213, -227, -230, -232, -244]) expect(classifyApiError('oa', c, '').kind).toBe('window');
    expect(classifyApiError('oa', -201, '').kind).toBe('permanent');
    expect(classifyApiError('oa', -230, 'x').tag).toBe('oa:-230');
    expect(classifyApiError('zns', -124, '').kind).toBe('token');
    expect(classifyApiError('zns', -108, '').kind).toBe('window');
    expect(classifyApiError('zns', -100, '').kind).toBe('transient');
  });
});

describe('phone numbers for ZNS', () => {
  it('normalises Vietnamese numbers to 84…', () => {
    expect(normalizePhone('0912 345 678')).toBe('84912345678');
    expect(normalizePhone('+84912345678')).toBe('84912345678');
    expect(normalizePhone('84912345678')).toBe('84912345678');
    expect(normalizePhone('12345')).toBeUndefined();
  });
});
