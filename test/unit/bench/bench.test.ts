import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchArgsError, parseBenchArgs } from '../../../bench/args';
import { fitLine } from '../../../bench/churn';
import { fasterThan, shareOf, slowerThan, under } from '../../../bench/figures';
import { budgetProblem, planContainers, sleeperScript } from '../../../bench/loadgen';
import { meminfoBytes } from '../../../bench/machine';
import { CommandRunner } from '../../../bench/runner';

describe('planContainers', () => {
  const cases: { name: string; deficit: number; per: number; want: number[] }[] = [
    { name: 'nothing missing', deficit: 0, per: 500, want: [] },
    { name: 'more than asked already', deficit: -50, per: 500, want: [] },
    { name: 'less than a container', deficit: 102, per: 500, want: [100] },
    { name: 'exactly one full container (sleepers + sh + shim)', deficit: 502, per: 500, want: [500] },
    { name: 'two containers, the last one partial', deficit: 900, per: 500, want: [500, 396] },
    { name: 'a remainder too small for a container is dropped', deficit: 504, per: 500, want: [500] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(planContainers(c.deficit, c.per), c.want));

  it('10,000 from 100 processes: 20 containers adding about 9,900', () => {
    const plan = planContainers(9900, 500);
    assert.equal(plan.length, 20);
    const added = plan.reduce((a, k) => a + k + 2, 0);
    assert.ok(added <= 9900 && added >= 9898, `adds ${added}`);
  });
});

describe('budgetProblem', () => {
  const machine = { processes: 100, threads: 400, pidMax: 32_768, threadsMax: 192_730, memAvailableBytes: 22 * 2 ** 30 };
  it('10,000 processes fit this machine', () => assert.equal(budgetProblem(10_000, machine, planContainers(9900)), null));
  it('over the 12,000 limit', () => assert.match(budgetProblem(12_001, machine, []) ?? '', /limit of 12000/));
  it('threads over 80% of pid_max', () => assert.match(budgetProblem(11_000, { ...machine, pidMax: 12_000 }, planContainers(10_900)) ?? '', /pid_max/));
  it('memory over half of MemAvailable', () => assert.match(budgetProblem(10_000, { ...machine, memAvailableBytes: 2 ** 30 }, planContainers(9900)) ?? '', /MiB/));
});

describe('sleeperScript', () => {
  it('forks K sleepers and waits', () => assert.equal(sleeperScript(3), 'i=0; while [ $i -lt 3 ]; do sleep 100000 & i=$((i+1)); done; wait'));
});

describe('fitLine', () => {
  it('a flat series has slope 0 and no noise', () => {
    const f = fitLine([0, 1, 2, 3].map((x) => ({ x, y: 100 })));
    assert.equal(f.slope, 0);
    assert.equal(f.residualSd, 0);
  });
  it('a straight line is found exactly', () => {
    const f = fitLine([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 5 })));
    assert.ok(Math.abs(f.slope - 2) < 1e-12 && Math.abs(f.intercept - 5) < 1e-12);
  });
  it('no points', () => assert.deepEqual(fitLine([]), { slope: 0, intercept: 0, residualSd: 0, slopeSe: 0, points: 0 }));
  it('noise around a flat line: a slope within two standard errors of 0', () => {
    const f = fitLine([100, 104, 98, 103, 97, 101, 99, 102].map((y, x) => ({ x, y })));
    assert.ok(f.slopeSe > 0 && Math.abs(f.slope) < 2 * f.slopeSe, `slope ${f.slope} ± ${f.slopeSe}`);
  });
  it('one x only: slope 0', () => assert.equal(fitLine([{ x: 1, y: 1 }, { x: 1, y: 3 }]).slope, 0));
});

describe('parseBenchArgs', () => {
  const limits = { maxProcesses: 12_000 };
  it('defaults', () => {
    const a = parseBenchArgs([], limits);
    assert.equal(a.runs, 7);
    assert.equal(a.processes, null);
    assert.equal(a.churnMinutes, null);
    assert.equal(a.render, null);
    assert.equal(a.latencyRuns, 7);
  });
  it('--processes, --runs, --churn', () => {
    const a = parseBenchArgs(['--processes', '10000', '--runs', '3', '--churn', '0.5'], limits);
    assert.deepEqual([a.processes, a.runs, a.churnMinutes, a.latencyRuns], [10_000, 3, 0.5, 3]);
  });
  const bad: { name: string; argv: string[]; message: RegExp }[] = [
    { name: 'unknown flag', argv: ['--fast'], message: /unknown flag/ },
    { name: 'missing value', argv: ['--runs'], message: /positive integer/ },
    { name: 'flag as value', argv: ['--processes', '--runs'], message: /positive integer/ },
    { name: 'over the process limit', argv: ['--processes', '20000'], message: /limit of 12000/ },
    { name: 'not an integer', argv: ['--runs', '2.5'], message: /positive integer/ },
  ];
  for (const c of bad) it(c.name, () => assert.throws(() => parseBenchArgs(c.argv, limits), (e: unknown) => e instanceof BenchArgsError && c.message.test(e.message)));
});

describe('figures', () => {
  it('slowerThan: within 1.3× of the floor passes', () => {
    assert.equal(slowerThan('s', 130, 'floor', 100, 1.3).pass, true);
    assert.equal(slowerThan('s', 131, 'floor', 100, 1.3).pass, false);
  });
  it('fasterThan: 4× faster than lsns passes', () => {
    const f = fasterThan('s', 25, 'lsns', 100, 4);
    assert.equal(f.ratio, 4);
    assert.equal(f.pass, true);
  });
  it('shareOf: percent of the reference', () => assert.equal(shareOf('d', 4, 'bytes', 'snapshot', 100, 5).pass, true));
  it('under: no target means no verdict', () => assert.equal(under('x', 1, 'ms', 'r', null, null).pass, null));
});

describe('meminfoBytes', () => {
  const text = 'MemTotal:       24624548 kB\nMemFree:        22000000 kB\nMemAvailable:   23677644 kB\n';
  it('MemAvailable in bytes', () => assert.equal(meminfoBytes(text, 'MemAvailable'), 23_677_644 * 1024));
  it('absent field', () => assert.equal(meminfoBytes(text, 'SwapTotal'), null));
});

describe('CommandRunner: the reference commands, run from a small process of their own', () => {
  it('times each command, keeps its stdout when asked, and tells how it ended', async (t) => {
    let runner: CommandRunner;
    try {
      runner = new CommandRunner();
    } catch (e) {
      if (process.env.CI === 'true') throw e;
      t.skip(`gcc is not here: ${(e as Error).message}`);
      return;
    }
    try {
      const echo = await runner.run(['printf', 'a\\tb\\n'], true);
      assert.deepEqual({ status: echo.status, stdout: echo.stdout }, { status: 0, stdout: 'a\tb\n' });
      assert.ok(echo.ms > 0 && echo.ms < 5000, `${echo.ms} ms`);
      assert.equal((await runner.run(['printf', 'dropped'])).stdout, '', 'stdout discarded unless asked');
      const slept = await runner.timed(['sleep', '0.2']);
      assert.ok(slept >= 200 && slept < 5000, `sleep 0.2 took ${slept} ms by the runner's clock`);
      assert.equal((await runner.run(['sh', '-c', 'exit 3'])).status, 3);
      assert.equal((await runner.run(['sh', '-c', 'kill -9 $$'])).status, 128 + 9);
      assert.equal((await runner.run(['isolens-no-such-program'])).status, 127);
      await assert.rejects(runner.timed(['false']), /false exited 1/);
      await assert.rejects(runner.run(['echo', 'a\tb']), /cannot pass/);
    } finally {
      runner.close();
    }
  });
});
