// The dashboard's script: one module per page, chosen by <body data-page>.
import { authOn, token, setToken, forgetToken, goLogin } from "./api.js";

const page = document.body.dataset.page;

if (page === "login") {
  const form = document.getElementById("login-form");
  form.addEventListener("submit", () => setToken(document.getElementById("token").value.trim()));
} else if (authOn && !token()) {
  // A session cookie without this tab's token (another tab, a restored browser): ask again.
  goLogin();
} else {
  const out = document.getElementById("logout-form");
  if (out) out.addEventListener("submit", () => forgetToken());
  const modules = { tasks: "./tasks.js", task: "./task.js", schedules: "./schedules.js", submit: "./submit.js" };
  if (modules[page]) import(modules[page]).then((m) => m.start());
}
