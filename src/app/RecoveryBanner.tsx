/**
 * The alert after the lab worker was replaced (a lost GPU or a crash, src/store/recovery.ts): what happened,
 * which backend the lab runs on now, and what was lost. Stays until dismissed, because the user may be on
 * another page when it happens and must still learn that their run was interrupted.
 */
import { useRecovery } from '../store/recovery';

export function RecoveryBanner() {
  const notice = useRecovery((s) => s.notice);
  if (!notice) return null;
  return (
    <div
      role="alert"
      aria-label="Lab worker"
      className="card"
      data-kind={notice.kind}
      aria-busy={!notice.ready}
      data-ms={notice.ms ?? undefined}
    >
      {notice.text} <button onClick={() => useRecovery.setState({ notice: null })}>Dismiss</button>
    </div>
  );
}
