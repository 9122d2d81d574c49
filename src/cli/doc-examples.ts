/** A fenced ```ts block of a Markdown page: where it starts (1-based line of the fence) and its code. */
export interface DocExample {
  line: number;
  code: string;
}

/** The fenced ```ts blocks of a Markdown page (docs/api.md: each a complete module importing 'msrfilter/core'). */
export function docExamples(markdown: string): DocExample[] {
  const out: DocExample[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return out;
}
