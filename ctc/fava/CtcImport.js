// The "Läs in" page in the browser: preview on choosing (or dropping) files, then import.
//
// Fava loads this module for the CtcImport extension and calls
// onExtensionPageLoad after each load of the page. The preview is the
// server's dry run of the chosen files (`ctc import --dry-run`), rendered as
// HTML by the server and put in place here; "Läs in" then submits the same
// form, files included, to the import, which refuses files whose SHA-256
// differ from the previewed ones. Without this script the form still works:
// "Förhandsgranska" shows the preview as a page of its own.

const FORM = "#ctc-import-form";

let generation = 0;

function say(form, text) {
  const status = form.querySelector("#ctc-import-status");
  if (status) {
    status.textContent = text;
  }
}

function chosenSize(input) {
  return Array.from(input.files || []).reduce((sum, file) => sum + file.size, 0);
}

async function preview(form) {
  const input = form.querySelector("input[type=file]");
  const target = form.querySelector("#ctc-preview");
  const commit = form.querySelector("#ctc-commit");
  const mine = ++generation;
  commit.disabled = true;
  target.innerHTML = "";
  if (!input.files || input.files.length === 0) {
    say(form, "Välj en eller flera filer att läsa in.");
    return;
  }
  const limit = Number(form.dataset.limit || 0);
  if (limit && chosenSize(input) > limit) {
    say(form, `Filerna är större än gränsen för en inläsning (${Math.floor(limit / 1048576)} MB tillsammans); läs in dem en i taget eller med ctc import.`);
    return;
  }
  say(form, "Förhandsgranskar …");
  form.setAttribute("aria-busy", "true");
  const url = new URL(form.action, window.location.href);
  url.searchParams.set("fragment", "1");
  try {
    const response = await fetch(url, { method: "POST", body: new FormData(form) });
    const html = await response.text();
    if (mine !== generation) {
      return;
    }
    target.innerHTML = html;
    const ready = target.querySelector("[data-ready='true']") !== null;
    commit.disabled = !ready;
    say(
      form,
      ready
        ? "Förhandsgranskningen är klar. Inget är skrivet än; tryck Läs in för att skriva i huvudboken."
        : "Filerna kan inte läsas in; förhandsgranskningen säger varför.",
    );
  } catch (error) {
    if (mine === generation) {
      say(form, `Förhandsgranskningen misslyckades: ${error}`);
    }
  } finally {
    if (mine === generation) {
      form.removeAttribute("aria-busy");
    }
  }
}

function enhance(form) {
  const input = form.querySelector("input[type=file]");
  const drop = form.querySelector("#ctc-drop");
  input.addEventListener("change", () => {
    preview(form);
  });
  for (const option of form.querySelectorAll("select")) {
    // The import runs with the options shown: a changed option is previewed again.
    option.addEventListener("change", () => {
      if (input.files && input.files.length > 0) {
        preview(form);
      }
    });
  }
  form.addEventListener("submit", (event) => {
    const commit = event.submitter && event.submitter.id === "ctc-commit";
    if (!commit) {
      event.preventDefault();
      preview(form);
      return;
    }
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    say(form, "Läser in …");
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("ctc-drag");
  });
  drop.addEventListener("dragleave", () => {
    drop.classList.remove("ctc-drag");
  });
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("ctc-drag");
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      input.files = event.dataTransfer.files;
      preview(form);
    }
  });
}

export default {
  onExtensionPageLoad() {
    const form = document.querySelector(FORM);
    if (!form || form.dataset.enhanced === "true" || form.querySelector("fieldset[disabled]")) {
      return;
    }
    form.dataset.enhanced = "true";
    enhance(form);
  },
};
