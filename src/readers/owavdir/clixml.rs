//! Reader for `Get-OwaVirtualDirectory | Export-Clixml`: every top-level object that is an OWA virtual directory
//! (by type name, or by its OwaVersion / MetabasePath members) becomes one vdir. Enums come as their `ToString`,
//! collections (`InternalAuthenticationMethods`) as their items, AD ids (`Server`, `Identity`) as their `ToString`.

use super::record::{self, Prop, Record, Val};
use crate::readers::clixml::{self, Object, Value};
use crate::readers::{Problem, ReadOutput};

pub fn read(text: &str, path: &str) -> ReadOutput {
    let doc = clixml::parse(text);
    let mut out = ReadOutput {
        errors: doc.errors,
        warnings: doc.warnings,
        ..ReadOutput::default()
    };
    let mut other = 0usize;
    for value in &doc.values {
        match value.as_object().filter(|o| is_owa_vdir(o)) {
            Some(o) => record::build(&to_record(o), path, &mut out),
            None => other += 1,
        }
    }
    if other > 0 {
        out.notes.push(format!(
            "{other} top-level object(s) that are not OWA virtual directories were skipped"
        ));
    }
    if out.facts.owa_vdirs.is_empty() && out.errors.is_empty() {
        out.errors.push(Problem::file(
            "this CLIXML document holds no OWA virtual directory object",
        ));
    }
    out
}

fn is_owa_vdir(o: &Object) -> bool {
    o.is_type("OwaVirtualDirectory") || o.prop("OwaVersion").is_some() || o.prop("MetabasePath").is_some()
}

fn to_record(o: &Object) -> Record {
    Record {
        line: o.line,
        excerpt: o
            .to_string
            .as_ref()
            .map_or_else(|| "<Obj>".to_string(), |s| format!("<ToString>{s}</ToString>")),
        props: o
            .props
            .iter()
            .map(|p| Prop {
                name: p.name.clone(),
                val: val(&p.value),
                truncated: false,
                line: p.line,
                excerpt: p.excerpt.clone(),
            })
            .collect(),
    }
}

fn val(v: &Value) -> Val {
    match v {
        Value::Nil | Value::Secret => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Obj(o) if o.is_list => Val::List(o.items.iter().filter_map(Value::text).collect()),
        other => other.text().map_or(Val::Null, Val::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"<?xml version="1.0"?>
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory</T></TN>
    <ToString>CAS01\owa (Default Web Site)</ToString>
    <Props>
      <S N="Name">owa (Default Web Site)</S>
      <S N="Server">CAS01</S>
      <S N="OwaVersion">Exchange2007</S>
      <Nil N="VirtualDirectoryType" />
      <S N="MetabasePath">IIS://CAS01.contoso.com/W3SVC/1/ROOT/owa</S>
      <B N="FormsAuthentication">true</B>
      <Obj N="InternalAuthenticationMethods" RefId="1"><TN RefId="1"><T>System.Collections.ArrayList</T></TN><LST><S>Basic</S><S>Fba</S></LST></Obj>
    </Props>
  </Obj>
  <Obj RefId="2">
    <TNRef RefId="0" />
    <Props>
      <S N="Name">exchange (Default Web Site)</S>
      <S N="OwaVersion">Exchange2003or2000</S>
      <S N="VirtualDirectoryType">Mailboxes</S>
    </Props>
  </Obj>
  <S>not a vdir</S>
</Objs>"#;

    #[test]
    fn deserialized_objects_with_strings_and_lists() {
        let out = read(TWO, "owavdir.xml");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let v = &out.facts.owa_vdirs;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].source.line, Some(3));
        assert_eq!(v[0].excerpt, r#"<S N="Name">owa (Default Web Site)</S>"#);
        assert_eq!(v[0].value.forms_authentication, Some(true));
        assert_eq!(
            v[0].value.internal_authentication_methods.as_deref(),
            Some(&["Basic".to_string(), "Fba".to_string()][..])
        );
        assert_eq!(v[0].value.virtual_directory_type, None);
        assert_eq!(v[1].value.virtual_directory_type.as_deref(), Some("Mailboxes"));
        assert_eq!(v[1].value.line_of("OwaVersion").map(|l| l.line), Some(20));
        assert_eq!(out.notes.len(), 1);
    }

    #[test]
    fn a_cut_document_keeps_the_objects_before_the_cut() {
        let cut = &TWO[..TWO.find("<S>not a vdir").expect("marker") - 20];
        let out = read(cut, "owavdir.xml");
        assert_eq!(out.facts.owa_vdirs.len(), 1);
        assert!(out.errors.iter().any(|e| e.line.is_some()));
    }
}
