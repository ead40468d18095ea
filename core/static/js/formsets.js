/* Adds and removes the forms of a formset rendered by templates/dsfr/formset_base.html.
   Replaces django-dsfr's inline script (blocked by our Content-Security-Policy): the object name
   comes from the group's data-object-name attribute, the buttons are bound here. */
(function () {
  "use strict";
  function hideDeleteBoxes(root) {
    root.querySelectorAll('[id$="-DELETE"]').forEach(function (box) {
      box.parentElement.hidden = true;
    });
  }
  function setUp(group) {
    var objectName = group.dataset.objectName;
    var totalForms = group.querySelector('[id$="-TOTAL_FORMS"]');
    var addButton = group.querySelector("[data-formset-add]");
    var forms = group.querySelectorAll(".formset");
    if (!forms.length || !addButton || !totalForms) {
      return;
    }
    var template = forms[0].cloneNode(true);
    hideDeleteBoxes(group);
    group.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-formset-remove]");
      if (!remove) {
        return;
      }
      var form = remove.closest(".formset");
      var box = form.querySelector('[id$="-DELETE"]');
      if (box) {
        box.checked = true;
      }
      form.hidden = true;
    });
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var number = group.querySelectorAll(".formset").length;
      var form = template.cloneNode(true);
      form.id = "formset-" + number;
      form.querySelectorAll("[id], [name], [for]").forEach(function (element) {
        ["id", "name", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) {
            element.setAttribute(attribute, value.replace(/\w+-\d+-/, objectName + "_set-" + number + "-"));
          }
        });
      });
      form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea").forEach(function (input) {
        input.value = "";
      });
      hideDeleteBoxes(form);
      group.insertBefore(form, addButton);
      totalForms.value = String(number + 1);
    });
  }
  document.querySelectorAll(".formset-group[data-object-name]").forEach(setUp);
})();
