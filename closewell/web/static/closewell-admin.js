/* The admin's person form: show only what applies to the chosen role (a social worker's team, a team
   manager's teams). The role select names, in data-fields-for-role, the fields each role has; a field
   no role lists is always shown. Without this script every field shows, and the server drops what
   does not apply to the role. */
(function () {
  "use strict";

  function rowOf(field) {
    return document.querySelector(".form-row.field-" + field);
  }

  function show(select) {
    var fieldsForRole = JSON.parse(select.getAttribute("data-fields-for-role"));
    var roleFields = {};
    Object.keys(fieldsForRole).forEach(function (role) {
      fieldsForRole[role].forEach(function (field) { roleFields[field] = true; });
    });
    var mine = fieldsForRole[select.value] || [];
    Object.keys(roleFields).forEach(function (field) {
      var row = rowOf(field);
      if (row) {
        row.hidden = mine.indexOf(field) === -1;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-fields-for-role]");
    if (!select) {
      return;
    }
    show(select);
    select.addEventListener("change", function () { show(select); });
  });
})();
