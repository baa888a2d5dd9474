// REST v1 GET /setting/application/configuration: served because v2 has no list of note and task
// types; `note.appointment_types` and `task.appointment_types` carry them (comma-separated, the
// field names are the document's; that they hold the note/task types is unverified). Only the
// modules this package reads are filled in: application, appointment, contact, note, opportunity,
// task, template.
export const v1Routes = [
	{
		method: 'GET', path: '/setting/application/configuration',
		handler: (ctx) => {
			const s = ctx.store;
			const cfg = ctx.emu.config;
			const stages = [...s.stages.values()].sort((a, b) => a.order - b.order || a.id - b.id).map((st) => st.name);
			return {
				status: 200,
				body: {
					application: {
						company: { name: cfg.appHost.split('.')[0], email: 'office@emulator.example', country: 'United States' },
						default_view_locale: 'en_US', features_enabled: { marketing: true }, time_zone: 'America/New_York',
					},
					appointment: { appointment_types: cfg.taskTypes.join(','), share_opportunity_with_related_user: false },
					contact: {
						contact_types: s.contactTypes.join(','), fax_types: 'Work,Home', phone_types: 'Work,Home,Mobile,Other',
						suffix_types: 'Jr,Sr,II,III', title_types: 'Mr.,Mrs.,Ms.,Dr.', disable_contact_edit_in_client_login: false,
					},
					note: { appointment_types: cfg.noteTypes.join(','), share_opportunity_with_related_user: false },
					opportunity: {
						default_stage: stages[0] ?? '',
						states: { active: { stages: stages.join(',') }, win: { stage: '', reasons: '' }, loss: { stage: '', reasons: '' } },
					},
					task: { appointment_types: cfg.taskTypes.join(','), share_opportunity_with_related_user: false },
					template: { default_user_id: 1 },
				},
			};
		},
	},
];
