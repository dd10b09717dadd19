// "Add a condition": a copy of the last condition row, emptied. Without script the form has its three rows.
(function () {
  var add = document.getElementById('add-condition');
  var rows = document.getElementById('conditions');
  if (!add || !rows) return;
  add.addEventListener('click', function () {
    var all = rows.querySelectorAll('fieldset.cond');
    var copy = all[all.length - 1].cloneNode(true);
    copy.querySelector('legend').textContent = 'Condition ' + (all.length + 1);
    copy.querySelectorAll('input').forEach(function (i) { i.value = ''; });
    copy.querySelectorAll('select').forEach(function (s) { s.selectedIndex = 0; });
    rows.appendChild(copy);
    copy.querySelector('select').focus();
  });
})();
