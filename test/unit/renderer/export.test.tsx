import './dom';
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Snapshot } from '../../../shared/model';
import { REDACTED } from '../../../shared/redact';
import { exportFileName, snapshotExportText, snapshotForExport } from '../../../renderer/views/export/export-json';
import { cloneForExport, PngExportError, svgDocument, viewSvg } from '../../../renderer/views/export/export-png';
import { ExportMenu } from '../../../renderer/views/export/ExportMenu';
import { loadSnapshot, tick } from './fixtures';

afterEach(() => cleanup());

const s = loadSnapshot('demo');
const withFigures: Snapshot = {
  ...s,
  host: { ...s.host, hostname: 'lab-7.example.org', figures: { cpuModel: 'x', cpuCount: 4, memoryTotalBytes: 1, memoryAvailableBytes: 1, os: 'Debian', load1: 0.1, fetchedAt: s.takenAt } },
};

describe('snapshot export (JSON)', () => {
  it('has the shape of snapshot --json: the live figures are left out, nothing else changes', () => {
    const out = snapshotForExport(withFigures, false);
    assert.equal('figures' in out.host, false);
    assert.deepEqual({ ...out, host: { ...out.host, figures: withFigures.host.figures } }, withFigures);
    const text = snapshotExportText(withFigures, false);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), out);
  });

  it('redacted: command lines keep their program name only, the host name is "host"', () => {
    const out = snapshotForExport(withFigures, true);
    assert.equal(out.host.hostname, 'host');
    const withArgs = s.processes.filter((p) => p.cmdline.length > 1);
    assert.ok(withArgs.length > 5);
    for (const p of out.processes) {
      assert.ok(p.cmdline.length <= 2, `pid ${p.pid}: ${p.cmdline.join(' ')}`);
      if (p.cmdline.length === 2) assert.equal(p.cmdline[1], REDACTED);
      assert.ok(!(p.cmdline[0] ?? '').includes('/'), `pid ${p.pid}: only the base name of argv[0]`);
    }
    assert.equal(out.processes.length, s.processes.length);
    assert.equal(out.containers.length, s.containers.length);
    const text = snapshotExportText(withFigures, true);
    assert.ok(!text.includes('lab-7'));
    const longArg = s.processes.flatMap((p) => p.cmdline.slice(1)).find((a) => a.length > 12 && !a.includes(' '));
    assert.ok(longArg && snapshotExportText(withFigures, false).includes(JSON.stringify(longArg)), 'the fixture has a long argument');
    assert.ok(!text.includes(JSON.stringify(longArg)), `the argument ${longArg} is gone`);
  });

  it('file names say host, time and whether it was redacted', () => {
    assert.equal(exportFileName({ takenAt: '2026-03-02T09:15:30.123Z', host: withFigures.host }, 'json', false), 'isolens-snapshot-lab-7.example.org-2026-03-02T091530Z.json');
    assert.equal(exportFileName({ takenAt: '2026-03-02T09:15:30.123Z', host: withFigures.host }, 'json', true), 'isolens-snapshot-host-2026-03-02T091530Z-redacted.json');
    assert.equal(exportFileName({ takenAt: 'x', host: { ...withFigures.host, hostname: 'a b/c' } }, 'png', false, 'view'), 'isolens-view-a_b_c-unknown-time.png');
  });
});

describe('ExportMenu', () => {
  it('offers redaction, unchecked; exports the JSON as shown, or redacted when checked', async () => {
    const saved: { name: string; blob: Blob }[] = [];
    render(<ExportMenu snapshot={withFigures} getView={() => null} save={(blob, name) => saved.push({ blob, name })} />);
    fireEvent.click(screen.getByTestId('export-button'));
    const redact = screen.getByTestId('export-redact') as HTMLInputElement;
    assert.equal(redact.checked, false, 'unchecked by default');
    assert.match(screen.getByTestId('export-menu').textContent ?? '', /command lines, host names/);
    fireEvent.click(screen.getByTestId('export-json'));
    assert.equal(saved.length, 1);
    assert.match(saved[0]?.name ?? '', /^isolens-snapshot-lab-7\.example\.org-.*\.json$/);
    const plain = JSON.parse(await (saved[0]?.blob as Blob).text()) as Snapshot;
    assert.equal(plain.host.hostname, 'lab-7.example.org');
    fireEvent.click(redact);
    fireEvent.click(screen.getByTestId('export-json'));
    const red = JSON.parse(await (saved[1]?.blob as Blob).text()) as Snapshot;
    assert.equal(red.host.hostname, 'host');
    assert.match(saved[1]?.name ?? '', /-redacted\.json$/);
    assert.match(screen.getByTestId('export-status').textContent ?? '', /Saved .*\(redacted\)/);
  });

  it('says clearly when the browser refuses to make a PNG (tainted canvas)', async () => {
    const view = document.createElement('main');
    document.body.appendChild(view);
    render(
      <ExportMenu
        snapshot={s}
        getView={() => view}
        save={() => assert.fail('nothing to save')}
        renderPng={() => Promise.reject(new PngExportError('tainted', 'this browser treats a drawn web page as foreign content (a "tainted" canvas)'))}
      />,
    );
    fireEvent.click(screen.getByTestId('export-button'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('export-png'));
      await tick();
    });
    assert.match(screen.getByTestId('export-status').textContent ?? '', /Could not export the view as PNG: .*tainted/);
    view.remove();
  });

  it('saves the PNG it is given', async () => {
    const saved: string[] = [];
    const view = document.createElement('main');
    render(<ExportMenu snapshot={s} getView={() => view} save={(_b, n) => saved.push(n)} renderPng={() => Promise.resolve(new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }))} />);
    fireEvent.click(screen.getByTestId('export-button'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('export-png'));
      await tick();
    });
    assert.match(saved[0] ?? '', /^isolens-view-.*\.png$/);
  });
});

describe('view to SVG (foreignObject)', () => {
  it('clones with typed values and checked boxes carried over', () => {
    const root = document.createElement('main');
    root.innerHTML = '<section><input type="search" value=""><input type="checkbox"><p class="x">hi</p></section>';
    const [search, box] = [...root.querySelectorAll('input')] as HTMLInputElement[];
    (search as HTMLInputElement).value = 'sleep';
    (box as HTMLInputElement).checked = true;
    const copy = cloneForExport(root);
    assert.equal(copy.querySelector('input[type="search"]')?.getAttribute('value'), 'sleep');
    assert.equal(copy.querySelector('input[type="checkbox"]')?.hasAttribute('checked'), true);
  });

  it('wraps the view, the root\'s classes and the document\'s styles in an SVG of its size', () => {
    const style = document.createElement('style');
    style.textContent = '.x { color: red; } .a > .b { color: blue; }';
    document.head.appendChild(style);
    document.documentElement.classList.add('classroom');
    const root = document.createElement('main');
    root.className = 'main';
    root.innerHTML = '<p class="x">one &amp; two</p>';
    document.body.appendChild(root);
    const { svg, width, height } = viewSvg(root);
    assert.ok(width >= 1 && height >= 1);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    assert.match(svg, /<foreignObject x="0" y="0" width="100%" height="100%"><div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" class="classroom export-root"/);
    assert.match(svg, /\.x \{ ?color: red; ?\}/);
    assert.match(svg, /\.a &gt; \.b/);
    assert.match(svg, /<main class="main"[^>]*><p class="x">one &amp; two<\/p><\/main>/);
    // Well-formed XML: an image decoder would refuse anything else.
    const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
    assert.equal(parsed.getElementsByTagName('parsererror').length, 0);
    root.remove();
    style.remove();
    document.documentElement.classList.remove('classroom');
  });

  it('svgDocument escapes the root style', () => {
    assert.match(svgDocument('<div/>', 10.2, 20, 'font-family:"A"'), /width="11" height="20" viewBox="0 0 11 20" style="font-family:&quot;A&quot;"/);
  });
});
