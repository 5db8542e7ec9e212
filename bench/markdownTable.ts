/** Prints rows (the first is the header) as a Markdown table, columns padded to line up, ready for BENCHMARKS.md. */
export function printMarkdownTable(table: string[][], say: (line: string) => void): void {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  say('');
  for (const [i, r] of table.entries()) {
    say(`| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
    if (i === 0) say(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  }
  say('');
}
