// hrdwatch: small progressive enhancements. Every page works without this file; nothing here is
// inline (the CSP forbids it), so behaviour is bound to data attributes and classes.
(function () {
  "use strict";

  // Upload with a progress bar: post the same multipart form with XMLHttpRequest (for
  // upload.onprogress), ask for the results fragment (HX-Request), and put it in place.
  function enhanceUpload(form) {
    var results = document.getElementById("upload-results");
    var progress = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    if (!results || !progress || !window.FormData || !window.XMLHttpRequest) {
      return;
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function finish() {
      progress.hidden = true;
      if (button) {
        button.disabled = false;
      }
    }

    function failed(xhr) {
      if (xhr.status === 401) {
        return "Your session has ended. Log in again, then upload.";
      }
      if (xhr.status === 403) {
        return "You may not upload reports.";
      }
      if (xhr.status === 413) {
        return "The upload is too large.";
      }
      return "The upload failed" + (xhr.status ? " (status " + xhr.status + ")." : ": no answer from the server.");
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || "/upload");
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          progress.value = Math.round((e.loaded / e.total) * 100);
          say("Sending… " + progress.value + "%");
        }
      };
      xhr.upload.onload = function () {
        progress.removeAttribute("value"); // indeterminate while the server reads and extracts
        say("Sent. Reading and extracting…");
      };
      xhr.onload = function () {
        finish();
        if (xhr.status === 200) {
          results.innerHTML = xhr.responseText;
          if (window.htmx) {
            window.htmx.process(results);
          }
          say("Done.");
          form.reset();
        } else {
          say(failed(xhr));
        }
      };
      xhr.onerror = function () {
        finish();
        say(failed(xhr));
      };
      progress.value = 0;
      progress.hidden = false;
      if (button) {
        button.disabled = true;
      }
      say("Sending…");
      xhr.send(new FormData(form));
    });
  }

  // Forms marked data-confirm="question" ask before they submit (revoke, disable).
  function enhanceConfirm(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), enhanceUpload);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), enhanceConfirm);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
