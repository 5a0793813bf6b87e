/**
 * What went wrong, as one line of text, whatever was thrown. JavaScript lets code throw anything (an Error, a
 * string, a DOMException, undefined), so every place that shows a caught error to a learner goes through here.
 * It lives in src/ml, the bottom layer, so that every layer (runtime, platform, workbook) may import it.
 */

/** The message of an Error (or of anything with a string `message`), else the thrown value as text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return String(error);
}
