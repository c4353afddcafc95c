// Jobbtorg: small progressive enhancements on top of htmx. Every page works without this file.
(function () {
  'use strict';

  // htmx sends the CSRF token taken from any form on the page (the logout form has one).
  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('input[name=csrfmiddlewaretoken]');
    if (token) { event.detail.headers['X-CSRFToken'] = token.value; }
  });

  // After a list or search result is swapped in: tell screen readers what changed, and when
  // the user followed a link (page, sort), move focus to the summary so they start at the top.
  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    var summary = target.querySelector('[data-announce]');
    var live = document.getElementById('live-status');
    if (summary && live) {
      live.textContent = '';
      window.setTimeout(function () { live.textContent = summary.textContent.replace(/\s+/g, ' ').trim(); }, 50);
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (summary && trigger && trigger.tagName === 'A') {
      summary.focus();
    }
  });
})();
