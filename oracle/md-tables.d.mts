/** `md` with every Markdown table (a run of lines starting with `|`) aligned as Prettier lays it out. */
export function alignTables(md: string): string;
