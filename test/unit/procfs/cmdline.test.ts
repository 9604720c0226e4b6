import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCmdline } from '../../../electron/collector/procfs/cmdline';

const fixture = (pid: number): string => fs.readFileSync(path.join(__dirname, '../../fixtures/proc', String(pid), 'cmdline'), 'utf8');

const cases: { name: string; text: string; want: string[] }[] = [
  { name: 'kernel thread has empty cmdline', text: fixture(2), want: [] },
  { name: 'zombie has empty cmdline', text: fixture(8369), want: [] },
  { name: 'shell with a script argument', text: fixture(7993), want: ['bash', '-c', 'while :; do sleep 100; done'] },
  { name: 'path with spaces and parens', text: fixture(7992), want: ['/tmp/a) (b) c', '1000'] },
  { name: 'setproctitle padding with NULs', text: fixture(7994), want: ['nginx: worker process'] },
  { name: 'argv rewritten with spaces and no NUL', text: 'nginx: worker process', want: ['nginx: worker process'] },
  { name: 'empty argument in the middle is kept', text: 'printf\0\0x\0', want: ['printf', '', 'x'] },
  { name: 'UTF-8 argument', text: 'echo\0h\u00e9llo \u2603\0', want: ['echo', 'h\u00e9llo \u2603'] },
];

describe('parseCmdline (proc(5) /proc/PID/cmdline)', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(parseCmdline(c.text), c.want));
  }
});
