//! An `AddrInfo` as compact JSON, written directly: the record a batch prints three times a name.

use crate::model::json::{write_int, write_ntop, write_opt_str, write_str};

use super::AddrInfo;

/// serde_json's bytes for the record (its derived `Serialize`), with the keys as constants.
pub fn write(record: &AddrInfo, out: &mut Vec<u8>) {
    out.extend_from_slice(br#"{"query":"#);
    write_opt_str(out, record.query.as_deref());
    out.extend_from_slice(br#","service":"#);
    write_opt_str(out, record.service.as_deref());
    out.extend_from_slice(br#","family":"#);
    write_str(out, &record.family);
    out.extend_from_slice(br#","type":"#);
    write_str(out, &record.socktype);
    out.extend_from_slice(br#","proto":"#);
    write_int(out, record.proto);
    out.extend_from_slice(br#","canonname":"#);
    write_str(out, &record.canonname);
    out.extend_from_slice(br#","address":"#);
    write_ntop(out, &record.address);
    out.extend_from_slice(br#","port":"#);
    write_int(out, record.port);
    if let Some(flowinfo) = record.flowinfo {
        out.extend_from_slice(br#","flowinfo":"#);
        write_int(out, flowinfo);
    }
    if let Some(scope_id) = record.scope_id {
        out.extend_from_slice(br#","scope_id":"#);
        write_int(out, scope_id);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn text() -> impl Strategy<Value = String> {
        let ch = prop_oneof![3 => (0u8..0x80).prop_map(char::from), 1 => any::<char>()];
        prop::collection::vec(ch, 0..16).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn the_record_is_serde_json_s_bytes(
            (query, service, family, socktype) in (
                proptest::option::of(text()), proptest::option::of(text()), text(), text()),
            (proto, canonname, address, port) in
                (any::<i32>(), text(), any::<std::net::IpAddr>(), any::<u16>()),
            (flowinfo, scope_id) in (proptest::option::of(any::<u32>()),
                proptest::option::of(any::<u32>())),
        ) {
            let record = AddrInfo {
                query: query.map(Into::into),
                service,
                family: family.into(),
                socktype: socktype.into(),
                proto,
                canonname,
                address,
                port,
                flowinfo,
                scope_id,
            };
            let mut ours = Vec::new();
            write(&record, &mut ours);
            prop_assert_eq!(ours, serde_json::to_vec(&record).unwrap_or_default());
        }
    }
}
