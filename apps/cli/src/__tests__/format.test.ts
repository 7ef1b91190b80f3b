import { describe, expect, it } from 'vitest';
import { claimsText } from '../ui/claims.js';
import { fitText, stripAnsi, style, terminalWidth, textTable, useColor, visibleWidth } from '../ui/format.js';

// Issue 16 item 3: output that fits the terminal, complete when piped, aligned in colour.

const long =
  'a very long description of what this plugin does, far wider than any terminal would show in one go';
const rows = [
  ['@paperlab/plugin-ntk', '0.1.0', 11, long],
  ['@paperlab/plugin-quantum', '0.1.0', 7, 'short'],
];
const cols = ['plugin', 'version', 'experiments', 'description'];

describe('textTable', () => {
  it('piped (no width) keeps every cell whole', () => {
    const t = textTable(cols, rows, { width: undefined });
    expect(t).toContain(long);
    expect(t).not.toContain('…');
  });

  it('in a terminal, every line fits and the lowest-priority column is elided first', () => {
    const t = textTable(cols, rows, { width: 80, priority: [10, 6, 7, 1] });
    for (const l of t.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(80);
    expect(t).toContain('@paperlab/plugin-quantum');
    expect(t).toContain('experiments');
    expect(t).toMatch(/a very long description.*…/);
  });

  it('drops low-priority columns whole when eliding is not enough, never the first', () => {
    const t = textTable(cols, rows, { width: 40, priority: [10, 1, 7, 2] });
    for (const l of t.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(40);
    expect(t).toContain('@paperlab/plugin-quantum');
    expect(t).not.toContain('version');
  });

  it('a former per-cell cap (a number) no longer cuts anything', () => {
    expect(textTable(cols, rows, 20)).toContain(long);
  });

  it('coloured cells line up with plain ones: widths ignore colour codes', () => {
    const t = textTable(
      ['claim', 'verdict', 'measured'],
      [
        ['a', style('✔ reproduced', 'green', true), '1.234'],
        ['bb', 'plain', '5.678'],
      ],
      { width: undefined },
    );
    const lines = t.split('\n').map(stripAnsi);
    const at = (l: string, s: string) => l.indexOf(s);
    expect(at(lines[0]!, 'measured')).toBe(at(lines[2]!, '1.234'));
    expect(at(lines[0]!, 'measured')).toBe(at(lines[3]!, '5.678'));
  });

  it('claims tables fit 80 columns in a terminal and keep the measured numbers when piped', () => {
    const claims = [
      {
        id: 'bs-no-clear-advantage',
        kind: 'paper' as const,
        statement: 's',
        verdict: 'inconclusive' as const,
        measured:
          'best classical 0.912 ± 0.004 vs boson sampler 0.897 ± 0.006 over 5 seeds (paired gap 0.015)',
        expected:
          'best classical − BS accuracy − 2 s.e. ≥ −m, m = config.margin (straddling m → inconclusive)',
        source: { quote: 'q', where: 'boson-sampling baseline results and conclusion, no advantage' },
      },
    ];
    const piped = claimsText(claims).join('\n');
    expect(piped).toContain('(paired gap 0.015)');
    const saved = process.stdout.isTTY;
    const savedCols = process.stdout.columns;
    Object.assign(process.stdout, { isTTY: true, columns: 80 });
    try {
      const tty = claimsText(claims).join('\n');
      for (const l of tty.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(80);
      expect(tty).toContain('bs-no-clear-advantage');
      expect(tty).toContain('inconclusive');
    } finally {
      Object.assign(process.stdout, { isTTY: saved, columns: savedCols });
    }
  });
});

describe('terminal width and colour', () => {
  it('terminalWidth is the TTY width (80 when unknown) and undefined when piped', () => {
    expect(terminalWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ isTTY: true })).toBe(80);
    expect(terminalWidth({ isTTY: false, columns: 120 })).toBeUndefined();
  });

  it('fitText wraps long lines with a hanging indent in a terminal and leaves piped text alone', () => {
    const text = `  ${'word '.repeat(40).trim()}`;
    const wrapped = fitText(text, 30).split('\n');
    expect(wrapped.length).toBeGreaterThan(1);
    for (const l of wrapped) expect(l.length).toBeLessThanOrEqual(30);
    expect(wrapped[1]!.startsWith('    word')).toBe(true);
    expect(fitText(text, undefined)).toBe(text);
    const json = `    ${JSON.stringify({ trainSize: 1500, valSize: 300, classifier: { epochs: 8 }, seeds: 3, modes: 16 })}`;
    const cut = fitText(json, 30).split('\n');
    expect(cut.length).toBeGreaterThan(1);
    for (const l of cut) expect(l.length).toBeLessThanOrEqual(30);
    expect(cut.map((l) => l.trim()).join('')).toBe(json.trim());
  });

  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ CLICOLOR: '0' }, true, false],
    [{ CLICOLOR_FORCE: '1' }, false, true],
    [{ CLICOLOR_FORCE: '1', NO_COLOR: '1' }, false, false],
  ])('useColor(%j, tty=%s) → %s', (env, isTTY, expected) => {
    expect(useColor({ isTTY }, env)).toBe(expected);
  });
});
