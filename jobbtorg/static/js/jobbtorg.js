// Jobbtorg: small progressive enhancements. htmx sends the CSRF token from the meta tag.
document.addEventListener('htmx:configRequest', function (event) {
  var token = document.querySelector('input[name=csrfmiddlewaretoken]');
  if (token) { event.detail.headers['X-CSRFToken'] = token.value; }
});
