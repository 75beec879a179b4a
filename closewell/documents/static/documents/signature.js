// Signing on screen: a signature_pad on the canvas of the signatures page. No inline script: this file
// finds the form by its data attributes. The drawn signature is sent as a PNG data URL in the hidden
// "image" field; the server checks it is a real PNG of a sensible size.
(function () {
  "use strict";

  function start() {
    // Showing only the part of the form for how the person signed is closewell.js's data-reveal.
    var form = document.querySelector("[data-signature-form]");
    var box = form && form.querySelector("[data-signature-pad]");
    if (!box || typeof window.SignaturePad !== "function") {
      return;
    }
    var canvas = box.querySelector("canvas");
    var input = form.querySelector("input[name='image']");
    var clear = box.querySelector("[data-signature-clear]");
    var fallback = form.querySelector("[data-signature-fallback]");
    var drawn = form.querySelector("input[name='method'][value='drawn']");
    box.hidden = false;
    if (fallback) {
      fallback.hidden = true;
    }
    var pad = new window.SignaturePad(canvas, { penColor: "#0b0c0c", backgroundColor: "rgb(255,255,255)" });

    // Match the canvas to its size on screen and the device's pixel ratio, keeping what was drawn.
    // The box is hidden until "Signed on screen" is chosen, so it is sized again when it shows.
    function resize() {
      if (!canvas.clientWidth) {
        return;
      }
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var data = pad.toData();
      canvas.width = canvas.clientWidth * ratio;
      canvas.height = canvas.clientHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    }
    window.addEventListener("resize", resize);
    form.querySelectorAll("input[name='method']").forEach(function (radio) {
      radio.addEventListener("change", function () {
        window.requestAnimationFrame(resize);
      });
    });
    resize();

    clear.addEventListener("click", function () {
      pad.clear();
      input.value = "";
    });

    form.addEventListener("submit", function () {
      input.value = drawn && drawn.checked && !pad.isEmpty() ? pad.toDataURL("image/png") : "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
