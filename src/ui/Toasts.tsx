/**
 * The one toast region of the app (the queue is toasts.ts). Info toasts sit in a polite live region
 * (role=status, always in the DOM so screen readers hear what is added to it); an error toast is its own
 * role=alert element, announced when it appears. Each has a Close button; errors stay until it is pressed.
 */
import { dismissToast, pauseToasts, useToasts, type Toast } from './toasts';
import './toasts.css';

function ToastView({ toast }: { toast: Toast }) {
  return (
    <div className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : undefined} data-toast-id={toast.id}>
      <span className="toast-text">{toast.text}</span>
      <button
        type="button"
        className="toast-close"
        aria-label="Close notification"
        onClick={() => dismissToast(toast.id)}
      >
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div
      className="toasts"
      onMouseEnter={() => pauseToasts(true)}
      onMouseLeave={() => pauseToasts(false)}
      onFocus={() => pauseToasts(true)}
      onBlur={() => pauseToasts(false)}
    >
      <div role="status" aria-live="polite" aria-label="Notifications" className="toast-list">
        {toasts
          .filter((t) => t.kind === 'info')
          .map((t) => (
            <ToastView key={t.id} toast={t} />
          ))}
      </div>
      {toasts
        .filter((t) => t.kind === 'error')
        .map((t) => (
          <ToastView key={t.id} toast={t} />
        ))}
    </div>
  );
}
