// Show and hide the items of a respondent's page whose display condition reads answers on the same page, as
// the respondent answers. The server draws such items and decides them again when the page is sent (without
// JavaScript nothing is hidden, and a hidden item's answer is ignored); this script only saves the respondent
// the questions that do not apply. Each such item's element carries `data-condition` (the condition's tree,
// surveyapp.logic.to_json) and `data-known` (the answers it reads from earlier pages). A hidden item gets the
// `hidden` attribute and its inputs are disabled, so the browser sends nothing of it: the server sees it
// unanswered, as it judges a hidden item. Decisions follow surveyapp.logic.evaluate exactly: numbers compare
// as exact decimals, YYYY-MM-DD dates in order, other texts only for equality; a comparison holds for some
// value on each side; "!=" is the negation of "="; nothing compares true with an unanswered item.
(function () {
  "use strict";
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
  var DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  var form = document.querySelector("form[method=post]");
  var conditional = form ? Array.prototype.slice.call(form.querySelectorAll("[data-condition]")) : [];
  if (!conditional.length) {
    return;
  }

  function decimal(text) {
    var negative = text.charAt(0) === "-";
    var digits = text.replace(/^[+-]/, "");
    var dot = digits.indexOf(".");
    var whole = (dot < 0 ? digits : digits.slice(0, dot)).replace(/^0+/, "");
    var fraction = (dot < 0 ? "" : digits.slice(dot + 1)).replace(/0+$/, "");
    return {negative: negative && (whole + fraction) !== "", whole: whole, fraction: fraction};
  }

  function order(a, b) {
    if (a < b) {
      return -1;
    }
    return a > b ? 1 : 0;
  }

  function compareNumbers(a, b) {
    var x = decimal(a), y = decimal(b);
    if (x.negative !== y.negative) {
      return x.negative ? -1 : 1;
    }
    var size = Math.max(x.fraction.length, y.fraction.length);
    var result = order(x.whole.length, y.whole.length) || order(x.whole, y.whole) ||
      order(x.fraction + "0".repeat(size - x.fraction.length), y.fraction + "0".repeat(size - y.fraction.length));
    return x.negative ? -result : result;
  }

  function holds(op, a, b) {
    var difference;
    if (NUMBER.test(a) && NUMBER.test(b)) {
      difference = compareNumbers(a, b);
    } else if (DATE.test(a) && DATE.test(b)) {
      difference = order(a, b);
    } else if (op === "=") {
      return a === b;
    } else {
      return false;
    }
    return {"=": difference === 0, "<": difference < 0, "<=": difference <= 0, ">": difference > 0,
            ">=": difference >= 0}[op] === true;
  }

  function compare(op, left, right) {
    if (op === "!=") {
      return !compare("=", left, right);
    }
    return left.some(function (a) {
      return right.some(function (b) { return holds(op, a, b); });
    });
  }

  // An item's answers on this page, from its enabled inputs (a number's decimal comma read as a point).
  function posted(code) {
    var values = [];
    var found = false;
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name !== "q_" + code) {
        return;
      }
      found = true;
      if (input.disabled) {
        return;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) { values.push(option.value); });
      } else {
        var numeric = /^(numeric|decimal)$/.test(input.getAttribute("inputmode") || "");
        values.push(numeric ? input.value.replace(/\s/g, "").replace(",", ".") : input.value);
      }
    });
    return found ? values : null;
  }

  function answers(code, known) {
    var values = posted(code);
    if (values === null) {
      values = known[code] || [];
    }
    return values.filter(function (value) { return typeof value === "string" && value.trim() !== ""; });
  }

  function values(node, known) {
    if (node[0] === "lit") {
      return [node[1]];
    }
    if (node[0] === "ref") {
      return answers(node[1], known);
    }
    if (node[0] === "call" && node[1] === "count") {
      return [String(answers(node[2][1], known).length)];
    }
    return [];
  }

  function evaluate(node, known) {
    switch (node[0]) {
    case "or":
      return node.slice(1).some(function (operand) { return evaluate(operand, known); });
    case "and":
      return node.slice(1).every(function (operand) { return evaluate(operand, known); });
    case "not":
      return !evaluate(node[1], known);
    case "cmp":
      return compare(node[1], values(node[2], known), values(node[3], known));
    case "call":
      if (node[1] === "answered") {
        return values(node[2], known).length > 0;
      }
      if (node[1] === "empty") {
        return values(node[2], known).length === 0;
      }
      return node[1] === "selected" && compare("=", values(node[2], known), values(node[3], known));
    default:
      return false;
    }
  }

  function read(element, name, fallback) {
    try {
      return JSON.parse(element.getAttribute(name)) || fallback;
    } catch (error) {
      return fallback;
    }
  }

  // In page order, so that an item hidden above counts as unanswered for the conditions below it.
  function decide() {
    conditional.forEach(function (element) {
      var tree = read(element, "data-condition", null);
      var above = element.parentElement && element.parentElement.closest("[data-condition][hidden]");
      element.hidden = Boolean(above) || (tree !== null && !evaluate(tree, read(element, "data-known", {})));
      element.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = input.closest("[data-condition][hidden]") !== null;
      });
    });
  }

  form.addEventListener("change", decide);
  form.addEventListener("input", decide);
  decide();
})();
