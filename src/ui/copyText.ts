/** Copies text to the clipboard and says so in a toast; where the browser refuses, an error toast shows the text. */
import { showToast } from './toasts';

export function copyText(text: string, what: string): Promise<void> {
  if (!navigator.clipboard) {
    showToast(`Copying is not available here: select the ${what.toLowerCase()} and copy it: ${text}`, 'error');
    return Promise.resolve();
  }
  return navigator.clipboard.writeText(text).then(
    () => void showToast(`${what} copied.`),
    () => void showToast(`The browser did not allow copying the ${what.toLowerCase()}: ${text}`, 'error'),
  );
}
