// After django-otp-webauthn registers a passkey, go on to the recovery codes or the
// list of factors. A file from our origin: the admin allows no inline script (0006).
document.addEventListener("otp_webauthn.register_complete", () => {
  const section = document.getElementById("passkey-registration");
  if (section && section.dataset.csceNext) {
    window.location.assign(section.dataset.csceNext);
  }
});
