// Alyx admin: small enhancements on top of forms that work without JavaScript.
// Search-as-you-type for related objects: an <input data-lookup="/admin/lookup/app/model/"> keeps its plain text value
// (the related object's name or id, what the server accepts) and gets a list of matches fetched page by page.
(function () {
  'use strict';
  function debounce(fn, ms) { var t; return function () { var a = arguments, s = this; clearTimeout(t); t = setTimeout(function () { fn.apply(s, a); }, ms); }; }
  function setup(input) {
    var wrap = document.createElement('div');
    wrap.className = 'lookup';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement('ul');
    list.className = 'lookup-results';
    list.id = input.id + '-results';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    wrap.appendChild(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    var active = -1, page = 1, more = false, term = '';
    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; }
    function choose(li) { input.value = li.dataset.value; close(); input.dispatchEvent(new Event('change', { bubbles: true })); }
    function mark(i) {
      var items = list.querySelectorAll('li[data-value]');
      items.forEach(function (li, k) { li.setAttribute('aria-selected', k === i ? 'true' : 'false'); });
      active = i;
      if (items[i]) { items[i].scrollIntoView({ block: 'nearest' }); input.setAttribute('aria-activedescendant', items[i].id); }
    }
    function load(append) {
      var url = input.dataset.lookup + '?term=' + encodeURIComponent(term) + '&page=' + page;
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { results: [], more: false }; })
        .then(function (data) {
          if (!append) list.textContent = '';
          var old = list.querySelector('li.more'); if (old) old.remove();
          data.results.forEach(function (r, k) {
            var li = document.createElement('li');
            li.id = list.id + '-' + page + '-' + k;
            li.setAttribute('role', 'option');
            li.dataset.value = r.id;
            li.textContent = r.text;
            li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(li); });
            list.appendChild(li);
          });
          more = data.more;
          if (more) {
            var m = document.createElement('li');
            m.className = 'more muted';
            m.textContent = 'More…';
            m.addEventListener('mousedown', function (e) { e.preventDefault(); page++; load(true); });
            list.appendChild(m);
          }
          list.hidden = list.children.length === 0;
          input.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
        });
    }
    input.addEventListener('input', debounce(function () { term = input.value; page = 1; load(false); }, 200));
    input.addEventListener('focus', function () { if (!input.value) { term = ''; page = 1; load(false); } });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
    input.addEventListener('keydown', function (e) {
      var items = list.querySelectorAll('li[data-value]');
      if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden) { term = input.value; page = 1; load(false); } else mark(Math.min(active + 1, items.length - 1)); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === 'Enter' && !list.hidden && active >= 0 && items[active]) { e.preventDefault(); choose(items[active]); }
      else if (e.key === 'Escape') { close(); }
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('input[data-lookup]').forEach(setup);
    document.querySelectorAll('[data-confirm]').forEach(function (el) {
      el.addEventListener('click', function (e) { if (!window.confirm(el.dataset.confirm)) e.preventDefault(); });
    });
  });
})();
