import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CLIENT_MESSAGE_CHARS, isWireError, parseClientMessage, parseServerMessage } from '../../../shared/wire';

describe('parseClientMessage', () => {
  const refused: { name: string; text: string; id: number | null; message: RegExp }[] = [
    { name: 'bad JSON', text: '{"type":"invoke",', id: null, message: /not valid JSON/ },
    { name: 'empty text', text: '', id: null, message: /not valid JSON/ },
    { name: 'JSON array, not an object', text: '[1,2]', id: null, message: /not a JSON object/ },
    { name: 'JSON null', text: 'null', id: null, message: /not a JSON object/ },
    { name: 'unknown message type', text: '{"type":"subscribe","id":3}', id: 3, message: /unknown message type "subscribe"/ },
    { name: 'missing id', text: '{"type":"invoke","channel":"snapshot:get","args":[]}', id: null, message: /needs an id/ },
    { name: 'negative id', text: '{"type":"invoke","id":-1,"channel":"snapshot:get","args":[]}', id: null, message: /needs an id/ },
    { name: 'fractional id', text: '{"type":"invoke","id":1.5,"channel":"snapshot:get","args":[]}', id: null, message: /needs an id/ },
    { name: 'string id', text: '{"type":"invoke","id":"7","channel":"snapshot:get","args":[]}', id: null, message: /needs an id/ },
    { name: 'unknown channel', text: '{"type":"invoke","id":4,"channel":"fs:write","args":["/etc/passwd"]}', id: 4, message: /unknown channel "fs:write"/ },
    { name: 'channel not a string', text: '{"type":"invoke","id":4,"channel":42,"args":[]}', id: 4, message: /unknown channel 42/ },
    { name: 'prototype-ish channel', text: '{"type":"invoke","id":4,"channel":"__proto__","args":[]}', id: 4, message: /unknown channel/ },
    { name: 'args not an array', text: '{"type":"invoke","id":5,"channel":"snapshot:get","args":{"0":1}}', id: 5, message: /args must be an array/ },
    { name: 'snapshot:get with an argument', text: '{"type":"invoke","id":6,"channel":"snapshot:get","args":[1]}', id: 6, message: /no arguments/ },
    { name: 'wrong arg type: pid as string', text: '{"type":"invoke","id":7,"channel":"process:get","args":["1"]}', id: 7, message: /positive integer/ },
    { name: 'wrong arg type: pid zero', text: '{"type":"invoke","id":7,"channel":"process:get","args":[0]}', id: 7, message: /positive integer/ },
    { name: 'wrong arg type: pid fractional', text: '{"type":"invoke","id":7,"channel":"process:get","args":[1.5]}', id: 7, message: /positive integer/ },
    { name: 'wrong arg type: container id as number', text: '{"type":"invoke","id":8,"channel":"history:get","args":[12]}', id: 8, message: /container id/ },
    { name: 'wrong arg count: two container ids', text: '{"type":"invoke","id":8,"channel":"history:get","args":["a","b"]}', id: 8, message: /container id/ },
    { name: 'container id too long', text: JSON.stringify({ type: 'invoke', id: 9, channel: 'history:get', args: ['a'.repeat(257)] }), id: 9, message: /container id/ },
    {
      name: 'huge message',
      text: JSON.stringify({ type: 'invoke', id: 10, channel: 'history:get', args: ['x'.repeat(MAX_CLIENT_MESSAGE_CHARS)] }),
      id: null,
      message: /too large/,
    },
  ];
  for (const c of refused) {
    it(`refuses: ${c.name}`, () => {
      const r = parseClientMessage(c.text);
      assert.ok(isWireError(r), `expected an error, got ${JSON.stringify(r)}`);
      assert.equal(r.code, 'BAD_REQUEST');
      assert.equal('id' in r ? r.id : undefined, c.id);
      assert.match(r.message, c.message);
    });
  }

  const accepted: { name: string; text: string; want: unknown }[] = [
    { name: 'snapshot:get', text: '{"type":"invoke","id":0,"channel":"snapshot:get","args":[]}', want: { type: 'invoke', id: 0, channel: 'snapshot:get', args: [] } },
    { name: 'snapshot:get without args', text: '{"type":"invoke","id":1,"channel":"snapshot:get"}', want: { type: 'invoke', id: 1, channel: 'snapshot:get', args: [] } },
    { name: 'process:get', text: '{"type":"invoke","id":2,"channel":"process:get","args":[4242]}', want: { type: 'invoke', id: 2, channel: 'process:get', args: [4242] } },
    { name: 'history:get', text: '{"type":"invoke","id":3,"channel":"history:get","args":["abc"],"extra":true}', want: { type: 'invoke', id: 3, channel: 'history:get', args: ['abc'] } },
    { name: 'just under the size cap', text: JSON.stringify({ type: 'invoke', id: 4, channel: 'snapshot:get', args: [], pad: 'p'.repeat(MAX_CLIENT_MESSAGE_CHARS - 80) }), want: { type: 'invoke', id: 4, channel: 'snapshot:get', args: [] } },
  ];
  for (const c of accepted) {
    it(`accepts: ${c.name}`, () => {
      assert.deepEqual(parseClientMessage(c.text), c.want);
    });
  }
});

describe('parseServerMessage', () => {
  const cases: { name: string; text: string; ok: boolean }[] = [
    { name: 'ok result', text: '{"type":"result","id":1,"result":{"ok":true,"value":{"seq":0}}}', ok: true },
    { name: 'error result', text: '{"type":"result","id":1,"result":{"ok":false,"error":{"code":"NOT_FOUND","message":"no"}}}', ok: true },
    { name: 'result without an id (bad request)', text: '{"type":"result","id":null,"result":{"ok":false,"error":{"code":"BAD_REQUEST","message":"x"}}}', ok: true },
    { name: 'delta event', text: '{"type":"event","event":"delta","payload":{"seq":1}}', ok: true },
    { name: 'engines event', text: '{"type":"event","event":"engines","payload":[]}', ok: true },
    { name: 'bad JSON', text: '{', ok: false },
    { name: 'result with a string id', text: '{"type":"result","id":"1","result":{"ok":true,"value":1}}', ok: false },
    { name: 'result without ok', text: '{"type":"result","id":1,"result":{"value":1}}', ok: false },
    { name: 'error result without an error', text: '{"type":"result","id":1,"result":{"ok":false}}', ok: false },
    { name: 'unknown event', text: '{"type":"event","event":"exec","payload":{}}', ok: false },
    { name: 'event without payload', text: '{"type":"event","event":"delta"}', ok: false },
    { name: 'unknown type', text: '{"type":"hello"}', ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseServerMessage(c.text);
      assert.equal(!isWireError(r), c.ok, JSON.stringify(r));
    });
  }
});
