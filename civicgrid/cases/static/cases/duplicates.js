// Duplicate prompt on the report page: when the pin (set by pin.js, shown in #pin-coords) or the category
// changes, ask cases:nearby for open cases of that category near the pin and list them ("是同一个问题吗？").
// "Follow it" posts to cases:join in a form of its own (the report form cannot hold another form).
(function () {
  "use strict";
  var prompt = document.getElementById("duplicate-prompt");
  var form = document.querySelector("[data-testid=report-form]");
  if (!prompt || !form) { return; }
  var list = document.getElementById("duplicate-list");
  var category = form.querySelector("select[name=category_id]");
  var coords = document.getElementById("pin-coords");
  var asked = 0;

  function field(name) { return form.querySelector("[name=" + name + "]").value; }

  function label(name, values) {
    return prompt.dataset[name].replace(/\{(\w+)\}/g, function (_all, key) { return values[key]; });
  }

  function join(caseId) {
    var post = document.createElement("form");
    post.method = "post";
    post.action = prompt.dataset.joinUrl.replace("/0/", "/" + caseId + "/");
    [["csrfmiddlewaretoken", field("csrfmiddlewaretoken")], ["lon", field("lon")], ["lat", field("lat")],
     ["category_id", category.value]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      post.appendChild(input);
    });
    document.body.appendChild(post);
    post.submit();
  }

  function item(found) {
    var li = document.createElement("li");
    li.setAttribute("data-testid", "duplicate-case");
    var title = document.createElement("strong");
    title.textContent = found.number + " · " + found.category + " · " + found.stage;
    var facts = document.createElement("p");
    facts.className = "muted";
    facts.textContent = label("labelDistance", {meters: found.distance_m}) + " · " +
      label("labelReported", {day: found.reported_on});
    li.appendChild(title);
    li.appendChild(facts);
    if (found.description) {
      var text = document.createElement("p");
      text.textContent = found.description;
      li.appendChild(text);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = prompt.dataset.labelJoin;
    button.setAttribute("data-testid", "duplicate-join");
    button.addEventListener("click", function () { join(found.case_id); });
    li.appendChild(button);
    return li;
  }

  function check() {
    var lon = field("lon"), lat = field("lat");
    if (!lon || !lat || !category.value) { prompt.hidden = true; return; }
    var mine = ++asked;
    var query = new URLSearchParams({category_id: category.value, lon: lon, lat: lat});
    fetch(prompt.dataset.nearbyUrl + "?" + query.toString(), {credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.json() : {cases: []}; })
      .then(function (data) {
        if (mine !== asked) { return; }  // a newer pin or category was asked for meanwhile
        list.replaceChildren.apply(list, data.cases.map(item));
        prompt.hidden = data.cases.length === 0;
      })
      .catch(function () { prompt.hidden = true; });
  }

  category.addEventListener("change", check);
  if (coords) { new MutationObserver(check).observe(coords, {childList: true, characterData: true, subtree: true}); }
}());
