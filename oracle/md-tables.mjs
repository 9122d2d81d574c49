// Aligns the Markdown tables oracle/survey.mjs writes, as Prettier lays them out (cells padded to their column's
// width, `---` rows as wide as their column), so that a regenerated SUMMARY.md or TABLES.md differs from the stored
// one only where the measurements do. Biome, which formats the rest of the repository, does not format Markdown.

/** Display width: wide characters (emoji, CJK) take two columns, combining marks none. */
function width(s) {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if ((c >= 0x300 && c <= 0x36f) || c === 0xfe0f || c === 0x200d) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      [
        0x231a, 0x231b, 0x23e9, 0x23ea, 0x23eb, 0x23ec, 0x23f0, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615, 0x26a1, 0x26aa,
        0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26d4, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26fa, 0x26fd, 0x2705,
        0x270a, 0x270b, 0x2728, 0x274c, 0x274e, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27b0, 0x27bf,
        0x2b1b, 0x2b1c, 0x2b50, 0x2b55,
      ].includes(c);
    w += wide ? 2 : 1;
  }
  return w;
}

/** The cells of a table row `| a | b |`, split at every `|` not escaped with a backslash. */
function cells(line) {
  const out = [];
  let cur = '';
  for (let i = 1; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && line[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const isRule = (row) => row.length > 0 && row.every((c) => /^:?-+:?$/.test(c));

function alignTable(lines) {
  const rows = lines.map(cells);
  const widths = [];
  for (const row of rows) {
    if (isRule(row)) continue;
    row.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 3, width(c));
    });
  }
  return rows.map((row) => {
    const padded = row.map((c, i) => {
      if (isRule(row)) {
        const left = c.startsWith(':');
        const right = c.endsWith(':');
        return `${left ? ':' : ''}${'-'.repeat(widths[i] - (left ? 1 : 0) - (right ? 1 : 0))}${right ? ':' : ''}`;
      }
      return c + ' '.repeat(widths[i] - width(c));
    });
    return `| ${padded.join(' | ')} |`;
  });
}

/** `md` with every table (a run of lines starting with `|`) aligned. */
export function alignTables(md) {
  const lines = md.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; ) {
    if (!lines[i].startsWith('|')) {
      out.push(lines[i++]);
      continue;
    }
    const start = i;
    while (i < lines.length && lines[i].startsWith('|')) i++;
    out.push(...alignTable(lines.slice(start, i)));
  }
  return out.join('\n');
}
