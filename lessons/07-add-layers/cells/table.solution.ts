// The three heads, side by side.
wb.runs.show('Heads compared');
