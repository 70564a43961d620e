// The data page's Jobs list: every job still queued or running is read again from the API each second
// (its stage, units done, status); when one finishes, the page's job and release tables are fetched
// anew from the server, so its report or its new release appear without leaving the page.

const POLL_MS = 1000;

function isActive(row) {
  return row.dataset.status === "queued" || row.dataset.status === "running";
}

function showProgress(row, job) {
  row.dataset.status = job.status;
  row.querySelector('[data-field="status"]').textContent = job.status[0].toUpperCase() + job.status.slice(1);
  const stage = row.querySelector('[data-field="stage"]');
  if (stage) stage.textContent = job.stage;
  const bar = row.querySelector("progress");
  if (bar) {
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
    } else {
      bar.removeAttribute("value");  // indeterminate: the total is not known yet
    }
    bar.textContent = String(job.done);
  }
}

async function refreshTables() {
  const response = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const selector of ["#jobs tbody", "#releases-table tbody"]) {
    const fresh = page.querySelector(selector);
    const current = document.querySelector(selector);
    if (fresh && current) current.replaceWith(fresh);
  }
}

async function poll() {
  const rows = [...document.querySelectorAll("#jobs tr[data-job-url]")].filter(isActive);
  let finished = false;
  await Promise.all(rows.map(async (row) => {
    try {
      const response = await fetch(row.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const job = await response.json();
      showProgress(row, job);
      if (!isActive(row)) finished = true;
    } catch {
      // The server cannot be reached right now: the next round tries again.
    }
  }));
  if (finished) await refreshTables();
  if ([...document.querySelectorAll("#jobs tr[data-job-url]")].some(isActive)) setTimeout(poll, POLL_MS);
}

if ([...document.querySelectorAll("#jobs tr[data-job-url]")].some(isActive)) setTimeout(poll, POLL_MS);
