/**
 * Input text quoted for a message: in double quotes, with every character
 * that does not print (controls, lone surrogates, private-use and
 * non-characters) written as `\uXXXX`, so that a message shows what is
 * there even when the terminal would show nothing.
 */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\ud800-\udfff\ue000-\uf8ff\ufff0-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
