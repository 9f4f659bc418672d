/**
 * Splits a CSV download into rows of cells, as RFC 4180 reads it: quoted cells may hold commas,
 * doubled quotes and line breaks; rows end with CRLF; a byte-order mark at the start (the staff
 * tables write one for spreadsheet programs) is not part of the first cell.
 */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  // A last row without its line break.
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
