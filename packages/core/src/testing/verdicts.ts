import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ClaimVerdict } from '../contracts/claim.js';
import {
  describeVerdictChanges,
  diffVerdicts,
  type ExpectedVerdicts,
  parseExpectedVerdicts,
  verdictTable,
} from '../runs/expectedVerdicts.js';

/**
 * Compares the verdicts of this test run with a plugin's committed table and fails on any change, in either
 * direction. To accept a change, rerun with `PAPERLAB_UPDATE_VERDICTS=1 PAPERLAB_VERDICTS_REASON="why"`: the
 * table is rewritten with the reason appended to its change log, to be committed with the change.
 */
export function checkExpectedVerdicts(
  file: string,
  actual: Record<string, readonly ClaimVerdict[]>,
  header: { preset: string; seed: number; backend: string },
): void {
  const previous = existsSync(file)
    ? parseExpectedVerdicts(JSON.parse(readFileSync(file, 'utf8')), file)
    : undefined;
  const update = process.env.PAPERLAB_UPDATE_VERDICTS === '1';
  if (update) {
    const reason = process.env.PAPERLAB_VERDICTS_REASON?.trim();
    if (!reason)
      throw new Error('PAPERLAB_UPDATE_VERDICTS=1 needs PAPERLAB_VERDICTS_REASON="why the verdicts changed"');
    const changes = previous ? diffVerdicts(previous, actual) : [];
    if (previous && changes.length === 0) return;
    const table: ExpectedVerdicts = verdictTable(
      {
        $comment:
          'The verdict each claim gives on this preset, seed and backend. The test suite fails on any change; update with PAPERLAB_UPDATE_VERDICTS=1 PAPERLAB_VERDICTS_REASON="…" and commit the table with the change.',
        ...header,
        changes: [...(previous?.changes ?? []), { date: new Date().toISOString().slice(0, 10), reason }],
      },
      actual,
      previous,
    );
    writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
    return;
  }
  expect(
    previous,
    `${file} is missing: create it with PAPERLAB_UPDATE_VERDICTS=1 PAPERLAB_VERDICTS_REASON="first table" and commit it`,
  ).toBeDefined();
  const table = previous!;
  expect({ preset: table.preset, seed: table.seed, backend: table.backend }, `${file} header`).toEqual(
    header,
  );
  const changes = diffVerdicts(table, actual);
  expect(
    changes,
    `smoke verdicts changed against ${file}:\n${describeVerdictChanges(changes)}\n` +
      'If the change is intended, update the table with PAPERLAB_UPDATE_VERDICTS=1 PAPERLAB_VERDICTS_REASON="why" and commit it with the change.',
  ).toEqual([]);
}
