/// A number as message templates show it: the shortest digits that read back as the same `f64`
/// (serde_json's, the same as Python's `repr`), in decimal when the exponent is from -5 to 15
/// (`0.00001`, `100.0`, `2.5`), else in scientific notation (`1e+16`, `1.5e-7`). Laid out here,
/// not by serde_json, whose layout has changed between releases.
fn float_text(value: f64) -> String {
    float_layout(&serde_json::Value::from(value).to_string())
}

/// [`float_text`]'s layout of a JSON number, however it was written (`1e16`, `1e+16`,
/// `10000000000000000.0`).
fn float_layout(written: &str) -> String {
    let (sign, unsigned) = match written.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", written),
    };
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let Ok(exponent) = exponent.parse::<i32>() else {
        return written.to_owned();
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits without leading or trailing zeros, and the exponent of the first one.
    let all = format!("{whole}{fraction}");
    let leading = all.bytes().take_while(|&b| b == b'0').count();
    let digits = all[leading..].trim_end_matches('0');
    if digits.is_empty() {
        return format!("{sign}0.0");
    }
    let Ok(whole_len) = i32::try_from(whole.len()) else {
        return written.to_owned();
    };
    let Ok(leading) = i32::try_from(leading) else {
        return written.to_owned();
    };
    let exponent = exponent + whole_len - 1 - leading;
    if !(-5..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let plus = if exponent > 0 { "+" } else { "" };
        return format!("{sign}{first}{point}{rest}e{plus}{exponent}");
    }
    let point = usize::try_from(exponent + 1).unwrap_or(0);
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        format!("{sign}0.{zeros}{digits}")
    } else if digits.len() <= point {
        let zeros = "0".repeat(point - digits.len());
        format!("{sign}{digits}{zeros}.0")
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}
