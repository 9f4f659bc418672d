// Warns a signed-in person two minutes before their session ends through inactivity, and lets
// them stay signed in (a form half-filled on a phone is easy to lose otherwise). Without
// JavaScript the session still ends on time; the account page explains the timeout.
const root = document.getElementById('app-session-timeout');
if (root && typeof HTMLDialogElement === 'function') {
  const idleMs = Number(root.dataset.idleSeconds) * 1000;
  const warnMs = Math.max(idleMs - 120_000, idleMs / 2);
  const dialog = root.querySelector('dialog');
  const countdown = root.querySelector('[data-countdown]');
  let warnTimer;
  let endTimer;
  let tick;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    const started = Date.now();
    warnTimer = setTimeout(() => {
      dialog.showModal();
      tick = setInterval(() => {
        const left = Math.max(0, Math.round((idleMs - (Date.now() - started)) / 1000));
        countdown.textContent = left >= 60 ? `${Math.ceil(left / 60)} minutes` : `${left} seconds`;
      }, 1000);
    }, warnMs);
    endTimer = setTimeout(() => window.location.assign('/signed-out?reason=timeout'), idleMs);
  };

  root.querySelector('[data-keep-alive]').addEventListener('click', async () => {
    const res = await fetch('/session/keep-alive', { method: 'POST', headers: { 'x-csrf-token': root.dataset.csrf }, credentials: 'same-origin' });
    if (res.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.assign('/signed-out?reason=timeout');
    }
  });
  schedule();
}
