/** Saves bytes as a file through the browser's download (an object URL on a temporary link). */
export function downloadBytes(bytes: Uint8Array | Blob, filename: string, type = 'application/octet-stream'): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: Chrome starts the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
