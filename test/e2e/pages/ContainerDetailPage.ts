// One container's detail (renderer/views/containers): live cgroup charts, namespaces, processes.
import type { Locator } from 'playwright';
import { BasePage } from './BasePage';

/** The container detail view. */
export class ContainerDetailPage extends BasePage {
  get root(): Locator {
    return this.page.getByTestId('container-detail');
  }

  get title(): Locator {
    return this.root.locator('h2');
  }

  /** "Host PID 4242 = PID 1 inside its own pid namespace"-style sentence. */
  get pidSentence(): Locator {
    return this.page.getByTestId('detail-pid-sentence');
  }

  get memoryChart(): Locator {
    return this.page.getByTestId('detail-memory-chart');
  }

  get cpuChart(): Locator {
    return this.page.getByTestId('detail-cpu-chart');
  }

  get pidsChart(): Locator {
    return this.page.getByTestId('detail-pids-chart');
  }

  /** The caption's limit: "limit 64 MiB" or "no memory limit". */
  get memoryLimit(): Locator {
    return this.page.getByTestId('detail-memory-limit');
  }

  /** The horizontal reference lines of the memory chart (the limit; OOM kills are vertical). */
  get memoryReferenceLines(): Locator {
    return this.memoryChart.locator('line.recharts-reference-line-line');
  }

  /** The label drawn on the limit line, "limit 64 MiB". */
  get memoryLimitLabel(): Locator {
    return this.memoryChart.locator('svg text').filter({ hasText: /^limit / });
  }

  /**
   * Where the memory chart draws its horizontal limit line, in MiB, read back from the SVG:
   * the line's y mapped through two labelled ticks of the Y axis ("60 MiB", "0 MiB"). Null without a line.
   */
  async memoryLimitLineMiB(): Promise<number | null> {
    return this.memoryChart.evaluate((figure) => {
      interface SvgEl {
        getAttribute(name: string): string | null;
        readonly textContent: string | null;
      }
      const root = figure as unknown as { querySelectorAll(sel: string): Iterable<SvgEl> };
      const ticks: { value: number; y: number }[] = [];
      for (const t of root.querySelectorAll('.recharts-yAxis-tick-labels text.recharts-cartesian-axis-tick-value')) {
        const value = Number.parseFloat((t.textContent ?? '').replace(/[^0-9.]/g, ''));
        const y = Number.parseFloat(t.getAttribute('y') ?? '');
        if (Number.isFinite(value) && Number.isFinite(y)) ticks.push({ value, y });
      }
      const horizontal = [...root.querySelectorAll('line.recharts-reference-line-line')].find((l) => l.getAttribute('y1') === l.getAttribute('y2'));
      const a = ticks[0];
      const b = ticks[ticks.length - 1];
      if (!horizontal || !a || !b || a.y === b.y) return null;
      const y = Number.parseFloat(horizontal.getAttribute('y1') ?? '');
      return a.value + ((y - a.y) * (b.value - a.value)) / (b.y - a.y);
    });
  }

  /** "This container is gone: it stopped or was removed." once the container left the model. */
  get goneMessage(): Locator {
    return this.root.getByText('This container is gone');
  }

  /** The state shown in the header (running, …). */
  get state(): Locator {
    return this.root.locator('.detail-meta .state');
  }

  /** The container's process rows. */
  processRow(pid: number): Locator {
    return this.page.getByTestId(`detail-proc-${pid}`);
  }

  async waitForOpen(name: string): Promise<void> {
    await this.title.filter({ hasText: name }).waitFor({ timeout: 10_000 });
  }

  /** Waits until the three charts are drawn (an SVG surface each, no "Waiting for samples"). */
  async waitForCharts(): Promise<void> {
    for (const chart of [this.memoryChart, this.cpuChart, this.pidsChart]) {
      await chart.locator('svg.recharts-surface').first().waitFor({ timeout: 15_000 });
    }
  }

  /** How many points the memory chart draws (its area's samples), read from the page's store through the DOM. */
  async memoryPoints(): Promise<number> {
    const d = await this.memoryChart.locator('.recharts-area-curve').first().getAttribute('d');
    if (!d) return 0;
    // One point per "L" or curve segment after the first "M": count the commands.
    return (d.match(/[LC]/g) ?? []).length + 1;
  }
}
