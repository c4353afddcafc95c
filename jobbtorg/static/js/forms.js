// Jobbtorg forms: protect the user's work. Every page works without this file.
// 1. After a failed submit, focus moves to the error summary (GOV.UK/Digg pattern); a link in the
//    summary moves focus to its field.
// 2. Long text fields with a maxlength show a counter ("12 av 2 000 tecken").
// 3. Forms marked data-autosave save themselves (htmx) a moment after the user stops typing, show
//    "Sparad hh:mm" / "Ej sparad" in their section's status, and the page warns before leaving
//    while a change is not yet saved.
(function () {
  'use strict';

  function focusSummary(root) {
    var summary = (root || document).querySelector('.error-summary');
    if (!summary) { return; }
    if (!summary.hasAttribute('tabindex')) { summary.setAttribute('tabindex', '-1'); }
    summary.focus();
  }

  // A link in the summary focuses its field (a fragment only scrolls) and shows its label.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]') || field.closest('fieldset') || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });

  // Counters for text fields with a maxlength that are long enough to need one.
  function counters(root) {
    var fields = (root || document).querySelectorAll('textarea[maxlength], input[maxlength][data-counter]');
    Array.prototype.forEach.call(fields, function (field) {
      if (field.dataset.counted) { return; }
      field.dataset.counted = '1';
      var max = parseInt(field.getAttribute('maxlength'), 10);
      var counter = document.createElement('p');
      counter.className = 'field__counter';
      counter.id = field.id + '_counter';
      counter.setAttribute('aria-live', 'polite');
      var meta = document.querySelector('meta[name=jobbtorg-counter]');
      var template = meta ? meta.content : '%(count)s / %(max)s';
      var format = function (n) { return n.toLocaleString(document.documentElement.lang || 'sv'); };
      var update = function () {
        counter.textContent = template.replace('%(count)s', format(field.value.length)).replace('%(max)s', format(max));
        counter.classList.toggle('field__counter--full', field.value.length >= max);
      };
      update();
      field.addEventListener('input', update);
      field.insertAdjacentElement('afterend', counter);
    });
  }

  // Autosave: one timer per form, saves in order (hx-sync queues them so each carries the newest version).
  var pending = new Set();
  var stopped = new Set();
  var DELAY = 1500;

  function stateOf(form) {
    var section = form.closest('[data-save-state]');
    return section ? section.querySelector('.save-state') : null;
  }

  function showState(form, key) {
    var state = stateOf(form);
    if (state && state.dataset[key]) { state.textContent = state.dataset[key]; state.dataset.state = key; }
  }

  document.addEventListener('input', function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute('data-autosave')) { return; }
    pending.add(form.id);
    showState(form, 'unsaved');
    window.clearTimeout(form._autosaveTimer);
    if (stopped.has(form.id)) { return; }
    form._autosaveTimer = window.setTimeout(function () {
      if (window.htmx) { window.htmx.trigger(form, 'autosave'); }
    }, DELAY);
  });
  document.addEventListener('htmx:configRequest', function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-autosave')) { return; }
    window.clearTimeout(form._autosaveTimer);
    if (event.detail.triggeringEvent && event.detail.triggeringEvent.type === 'autosave') {
      event.detail.headers['X-Autosave'] = '1';
    }
    showState(form, 'saving');
  });

  document.addEventListener('htmx:afterRequest', function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-autosave')) { return; }
    var response = event.detail.xhr;
    if (response && response.getResponseHeader('X-Saved') === '1') {
      pending.delete(form.id);
    }
    if (response && response.getResponseHeader('X-Conflict') === '1') {
      stopped.add(form.id);  // someone else changed it: no more autosaves; the user reloads or saves on purpose
    } else if (response && response.getResponseHeader('X-Saved') === '1') {
      stopped.delete(form.id);
    }
  });

  window.addEventListener('beforeunload', function (event) {
    if (pending.size > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }
    // An outerHTML swap replaces the target: work on the element now in the page.
    if (target.id && !document.body.contains(target)) { target = document.getElementById(target.id) || target; }
    counters(target);
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    var autosaved = trigger && trigger.type === 'autosave';
    if (!autosaved && event.detail.requestConfig && event.detail.requestConfig.verb === 'post') {
      focusSummary(target);
    }
  });

  function ready() {
    counters(document);
    focusSummary(document);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', ready); } else { ready(); }
})();
